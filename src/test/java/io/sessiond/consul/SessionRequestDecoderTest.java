package io.sessiond.consul;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sessiond.RejectedException;
import io.sessiond.json.StrictObjectMapper;
import io.sessiond.session.Session;
import io.sessiond.session.SessionClient;
import io.sessiond.session.SessionSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The session-create body decoded by Consul's rules, without the application: LockDelay's units, the legacy
 * Checks field beside NodeChecks, ServiceChecks, and Consul's words for what cannot be decoded.
 */
class SessionRequestDecoderTest {

    private static final SessionClient CLIENT = SessionClient.atAddress("127.0.0.1", 1);

    private final SessionRequestDecoder decoder = new SessionRequestDecoder(mapper());

    private static ObjectMapper mapper() {
        ObjectMapper mapper = new ObjectMapper();
        new StrictObjectMapper().customize(mapper);
        return mapper;
    }

    private SessionSpec decode(String json) {
        return decoder.decode(json.getBytes(StandardCharsets.UTF_8), CLIENT);
    }

    private String refusal(String json) {
        RejectedException refused = assertThrows(RejectedException.class, () -> decode(json));
        assertEquals(RejectedException.Reason.INVALID, refused.reason());
        return refused.getMessage();
    }

    @Test
    void anEmptyBodyIsConsulsDefaults() {
        for (String body : new String[]{"", "{}"}) {
            SessionSpec spec = decode(body);
            assertEquals(Session.DEFAULT_LOCK_DELAY_NS, spec.lockDelayNs());
            assertEquals(List.of("serfHealth"), spec.nodeChecks());
            assertNull(spec.checks());
            assertNull(spec.serviceChecks());
            assertNull(spec.name());
            assertNull(spec.node());
            assertNull(spec.behavior());
            assertNull(spec.ttl());
            assertNull(spec.service());
            assertEquals(CLIENT, spec.client());
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "\"15s\"             | 15000000000",
            "\"0s\"              | 0",
            "\"1.5s\"            | 1500000000",
            "null                | 15000000000",
            "0                   | 0",
            "1                   | 1000000000",
            "999                 | 999000000000",
            "1000                | 1000",
            "2500000000          | 2500000000",
            "1.9                 | 1000000000",
            "999.9               | 999000000000",
            "1000.5              | 1000",
            "true                | 0",
            "{}                  | 0",
            "[]                  | 0"})
    void lockDelayIsADurationOrNanosecondsOrBelowAThousandSeconds(String lockDelay, long nanos) {
        assertEquals(nanos, decode("{\"LockDelay\":" + lockDelay + "}").lockDelayNs());
    }

    @Test
    void aLockDelayThatIsNoDurationIsRefusedInConsulsWords() {
        assertEquals("Request decode failed: time: invalid duration \"fast\"", refusal("{\"LockDelay\":\"fast\"}"));
        assertEquals("Request decode failed: json: cannot unmarshal number 9223372036854775808 into Go struct field"
                + " Session.LockDelay of type time.Duration", refusal("{\"LockDelay\":9223372036854775808}"));
        assertEquals("Request decode failed: json: cannot unmarshal number 1.0E19 into Go struct field"
                + " Session.LockDelay of type time.Duration", refusal("{\"LockDelay\":1e19}"));
        // 2^63 exactly is a double a cast would clamp to Long.MAX_VALUE instead of refusing.
        assertEquals("Request decode failed: json: cannot unmarshal number 9.223372036854776E18 into Go struct field"
                + " Session.LockDelay of type time.Duration", refusal("{\"LockDelay\":9223372036854775808.0}"));
        // Below a thousand it is seconds: as nanoseconds it would overflow.
        assertEquals("Request decode failed: json: cannot unmarshal number -9223372036854775808 into Go struct field"
                + " Session.LockDelay of type time.Duration", refusal("{\"LockDelay\":-9223372036854775808}"));
    }

    @Test
    void aLockDelayAtTheEdgesOfALong() {
        assertEquals(Long.MAX_VALUE, decode("{\"LockDelay\":9223372036854775807}").lockDelayNs());
        // Above 2^53 an integer is read as a long, not through a double that would round it.
        assertEquals(9_007_199_254_740_993L, decode("{\"LockDelay\":9007199254740993}").lockDelayNs());
        assertEquals(-9_000_000_000L, decode("{\"LockDelay\":-9}").lockDelayNs());
        assertEquals(-9_000_000_000L, decode("{\"LockDelay\":-9.5}").lockDelayNs());
    }

    @Test
    void legacyChecksBesideNodeChecksFollowConsul() {
        // Checks alone: they are the checks, beside the default serfHealth node check.
        SessionSpec checksOnly = decode("{\"Checks\":[\"app\"]}");
        assertEquals(List.of("app"), checksOnly.checks());
        assertEquals(List.of("serfHealth"), checksOnly.nodeChecks());
        // Checks equal to the default: dropped.
        assertNull(decode("{\"Checks\":[\"serfHealth\"]}").checks());
        // Empty Checks: no node checks at all.
        SessionSpec none = decode("{\"Checks\":[]}");
        assertNull(none.checks());
        assertEquals(List.of(), none.nodeChecks());
        SessionSpec nullChecks = decode("{\"Checks\":null,\"NodeChecks\":[\"a\"]}");
        assertNull(nullChecks.checks());
        assertEquals(List.of(), nullChecks.nodeChecks());
        // Empty NodeChecks: the legacy Checks are dropped.
        SessionSpec emptyNodeChecks = decode("{\"Checks\":[\"app\"],\"NodeChecks\":[]}");
        assertNull(emptyNodeChecks.checks());
        assertEquals(List.of(), emptyNodeChecks.nodeChecks());
        SessionSpec nullNodeChecks = decode("{\"Checks\":[\"app\"],\"NodeChecks\":null}");
        assertNull(nullNodeChecks.checks());
        assertNull(nullNodeChecks.nodeChecks());
        // Both given: both kept.
        SessionSpec both = decode("{\"Checks\":[\"app\"],\"NodeChecks\":[\"disk\"]}");
        assertEquals(List.of("app"), both.checks());
        assertEquals(List.of("disk"), both.nodeChecks());
    }

    @Test
    void serviceChecksAreTheirIds() {
        assertEquals(List.of("web-check", ""), decode("{\"ServiceChecks\":[{\"ID\":\"web-check\",\"Namespace\":\"\"},{}]}").serviceChecks());
        assertNull(decode("{\"ServiceChecks\":null}").serviceChecks());
        assertEquals(List.of(), decode("{\"ServiceChecks\":[]}").serviceChecks());
    }

    @Test
    void namedFieldsAreReadWhateverTheirCase() {
        SessionSpec spec = decode("{\"name\":\"n\",\"NODE\":\"node-1\",\"Behavior\":\"delete\",\"ttl\":\"10s\",\"Service\":\"api\"}");
        assertEquals("n", spec.name());
        assertEquals("node-1", spec.node());
        assertEquals("delete", spec.behavior());
        assertEquals("10s", spec.ttl());
        assertEquals("api", spec.service());
    }

    @Test
    void wrongTypesAreRefusedInGosWords() {
        assertEquals("Request decode failed: json: cannot unmarshal number into Go value of type string",
                refusal("{\"Name\":1}"));
        assertEquals("Request decode failed: json: cannot unmarshal string into Go value of type []types.CheckID",
                refusal("{\"Checks\":\"app\"}"));
        assertEquals("Request decode failed: unexpected EOF", refusal("{\"Name\":"));
    }
}
