package io.sessiond.index;

import java.time.Instant;

/** What one write transaction gets from the change index: its index and the database's clock. */
public record WriteStamp(long index, Instant now) {
}
