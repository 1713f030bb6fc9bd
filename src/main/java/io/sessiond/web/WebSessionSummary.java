package io.sessiond.web;

import java.time.Duration;
import java.time.Instant;

/**
 * A web session as operators see it: its times, version and how large its data is, never the data itself
 * (it is the application's, possibly secret, and encrypted when a key is configured). {@code dataSize} is
 * the byte length of the data's compact JSON, the measure {@code sessiond.web.max-data-size} limits;
 * {@code idle} is the time since the latest access; {@code lockExpires} is null unless a lease lock is in force.
 */
public record WebSessionSummary(String id, Instant created, Instant lastAccessed, Instant accessed,
                                Instant expires, Duration idle, long version, long dataSize, boolean encrypted,
                                Instant lockExpires) {

    public boolean locked() {
        return lockExpires != null;
    }
}
