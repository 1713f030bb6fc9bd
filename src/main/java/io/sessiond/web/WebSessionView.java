package io.sessiond.web;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;

/**
 * A web session as the store hands it out: its data decrypted, and the signed cookie value that carries its
 * id. {@code lastAccessed} is the access before the latest one (null until there was one); {@code expires}
 * is null when sessions never time out.
 */
public record WebSessionView(String id, String cookie, ObjectNode data, Instant created, Instant lastAccessed,
                             Instant accessed, Instant expires, long version) {
}
