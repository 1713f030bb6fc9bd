package io.sessiond.web;

import java.time.Instant;
import java.util.UUID;

/** A held lease lock on a web session: the token that releases it, and when it lapses by itself. */
public record LockGrant(UUID token, Instant expires) {
}
