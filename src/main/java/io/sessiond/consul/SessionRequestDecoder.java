package io.sessiond.consul;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sessiond.go.GoDuration;
import io.sessiond.session.Session;
import io.sessiond.session.SessionClient;
import io.sessiond.session.SessionSpec;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/**
 * Decodes the body of {@code PUT /v1/session/create} the way Consul does: {@code LockDelay} is a Go
 * duration string or a number of nanoseconds (below 1000 read as seconds), and the legacy {@code Checks}
 * field combines with {@code NodeChecks} by Consul's rules. Anything malformed is
 * {@code Request decode failed: ...}.
 */
@ApplicationScoped
public class SessionRequestDecoder {

    /** Below this many nanoseconds, a LockDelay number is a count of seconds (Consul's compatibility rule). */
    private static final long LOCK_DELAY_SECONDS_THRESHOLD = 1000;
    private static final long SECOND_NS = 1_000_000_000L;
    private static final List<String> DEFAULT_NODE_CHECKS = List.of("serfHealth");

    private final ObjectMapper mapper;

    public SessionRequestDecoder(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /**
     * {@code Service} is our extension: the service (application) the session is for. {@code client} is who
     * sent the request.
     */
    public SessionSpec decode(byte[] body, SessionClient client) {
        GoJsonObject request = GoJsonObject.parse(mapper, body, "structs.Session");
        List<String> checks = request.has("Checks") ? request.strings("Checks", "types.CheckID") : DEFAULT_NODE_CHECKS;
        List<String> nodeChecks = request.has("NodeChecks") ? request.strings("NodeChecks", "types.CheckID") : DEFAULT_NODE_CHECKS;
        List<String> serviceChecks = request.has("ServiceChecks") && !request.raw("ServiceChecks").isNull()
                ? request.objects("ServiceChecks", "structs.ServiceCheck").stream()
                        .map(check -> check.string("ID") == null ? "" : check.string("ID")).toList()
                : null;

        // Consul's rules for the legacy Checks field next to NodeChecks.
        if (checks == null || checks.isEmpty()) {
            nodeChecks = List.of();
            checks = null;
        } else if (checks.equals(DEFAULT_NODE_CHECKS) || nodeChecks == null || nodeChecks.isEmpty()) {
            checks = null;
        }
        return new SessionSpec(request.string("Name"), request.string("Node"), lockDelay(request),
                request.string("Behavior"), request.string("TTL"), nodeChecks, serviceChecks, checks,
                request.string("Service"), client);
    }

    private static long lockDelay(GoJsonObject request) {
        JsonNode value = request.raw("LockDelay");
        if (value == null || value.isNull()) {
            return Session.DEFAULT_LOCK_DELAY_NS;
        }
        long nanos;
        if (value.isTextual()) {
            try {
                nanos = GoDuration.parse(value.asText());
            } catch (GoDuration.InvalidDurationException e) {
                throw GoJsonObject.decodeFailed(e.getMessage());
            }
        } else if (value.isNumber()) {
            if (value.isIntegralNumber() ? !value.canConvertToLong() : !fitsLong(value.asDouble())) {
                throw request.cannotUnmarshalField("LockDelay", value, "time.Duration");
            }
            nanos = value.isIntegralNumber() ? value.asLong() : (long) value.asDouble();
        } else {
            nanos = 0; // Consul: any other JSON type means no lock-delay
        }
        if (nanos >= LOCK_DELAY_SECONDS_THRESHOLD) {
            return nanos;
        }
        try {
            return Math.multiplyExact(nanos, SECOND_NS);
        } catch (ArithmeticException e) {
            throw request.cannotUnmarshalField("LockDelay", value, "time.Duration");
        }
    }

    /** Whether the double, truncated, is a long: a cast would clamp anything beyond to Long.MIN_VALUE or MAX_VALUE. */
    private static boolean fitsLong(double value) {
        return value >= -0x1p63 && value < 0x1p63;
    }
}
