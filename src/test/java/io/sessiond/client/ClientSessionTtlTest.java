package io.sessiond.client;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The client reads a renewed session's TTL with the server's own Go duration parser. */
class ClientSessionTtlTest {

    @Test
    void aReportedTtlIsReadAsTheServerWroteIt() {
        assertEquals(Duration.ofSeconds(15), ClientSession.ttl("15s"));
        assertEquals(Duration.ofSeconds(90), ClientSession.ttl("1m30s"));
        // What this client sends: whole milliseconds.
        assertEquals(Duration.ofSeconds(30), ClientSession.ttl("30000ms"));
        assertEquals(Duration.ofMillis(1500), ClientSession.ttl("1.5s"));
        assertEquals(Duration.ofHours(1), ClientSession.ttl("1h0m0s"));
        assertEquals(Duration.ofNanos(250_000), ClientSession.ttl("250\u00b5s"));
        assertEquals(Duration.ZERO, ClientSession.ttl("0"));
    }

    @Test
    void noReportedTtlIsZero() {
        assertEquals(Duration.ZERO, ClientSession.ttl(""));
    }

    @Test
    void whatIsNotAGoDurationIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> ClientSession.ttl("15"));
        assertThrows(IllegalArgumentException.class, () -> ClientSession.ttl("soon"));
    }
}
