package io.sessiond.web;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;

/**
 * A web session as the store hands it out: its data decrypted. {@code lastAccessed} is the access before the
 * latest one (null until there was one); {@code expires} is null when sessions never time out. It carries no
 * cookie: the signed cookie lets its holder act as the session's user, so only the calls that issue one
 * return it ({@link IssuedWebSession}).
 */
public record WebSessionView(String id, ObjectNode data, Instant created, Instant lastAccessed,
                             Instant accessed, Instant expires, long version) {
}
