package io.sessiond.consul;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sessiond.RejectedException;
import io.sessiond.session.GoDuration;
import io.sessiond.session.Session;
import io.sessiond.session.SessionSpec;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Decodes the body of {@code PUT /v1/session/create} the way Consul's Go decoder does: keys match
 * case-insensitively, unknown keys are ignored, {@code LockDelay} is a Go duration string or a number of
 * nanoseconds (below 1000 read as seconds), and the legacy {@code Checks} field combines with
 * {@code NodeChecks} by Consul's rules. Anything malformed is {@code Request decode failed: ...}.
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

    public SessionSpec decode(byte[] body) {
        Map<String, JsonNode> fields = body == null || body.length == 0 ? Map.of() : fields(body);
        String name = string(fields, "name");
        String node = string(fields, "node");
        long lockDelay = lockDelay(fields.get("lockdelay"));
        String behavior = string(fields, "behavior");
        String ttl = string(fields, "ttl");
        List<String> checks = fields.containsKey("checks") ? strings(fields.get("checks")) : DEFAULT_NODE_CHECKS;
        List<String> nodeChecks = fields.containsKey("nodechecks") ? strings(fields.get("nodechecks")) : DEFAULT_NODE_CHECKS;
        List<String> serviceChecks = serviceCheckIds(fields.get("servicechecks"));

        // Consul's rules for the legacy Checks field next to NodeChecks.
        if (checks == null || checks.isEmpty()) {
            nodeChecks = List.of();
            checks = null;
        } else if (checks.equals(DEFAULT_NODE_CHECKS) || nodeChecks == null || nodeChecks.isEmpty()) {
            checks = null;
        }
        return new SessionSpec(name, node, lockDelay, behavior, ttl, nodeChecks, serviceChecks, checks);
    }

    private Map<String, JsonNode> fields(byte[] body) {
        JsonNode root;
        try {
            root = mapper.readTree(body);
        } catch (JsonEOFException e) {
            throw decodeFailed("unexpected EOF");
        } catch (JsonProcessingException e) {
            throw decodeFailed(e.getOriginalMessage());
        } catch (IOException e) {
            throw decodeFailed(e.getMessage());
        }
        if (root == null || root.isMissingNode()) {
            throw decodeFailed("EOF");
        }
        if (root.isNull()) {
            return Map.of();
        }
        if (!root.isObject()) {
            throw cannotUnmarshal(root, "structs.Session");
        }
        // Go matches keys case-insensitively and the last duplicate wins.
        Map<String, JsonNode> fields = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            fields.put(field.getKey().toLowerCase(Locale.ROOT), field.getValue());
        }
        return fields;
    }

    private static String string(Map<String, JsonNode> fields, String key) {
        JsonNode value = fields.get(key);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw cannotUnmarshal(value, "string");
        }
        return value.asText();
    }

    private static long lockDelay(JsonNode value) {
        if (value == null || value.isNull()) {
            return Session.DEFAULT_LOCK_DELAY_NS;
        }
        long nanos;
        if (value.isTextual()) {
            try {
                nanos = GoDuration.parse(value.asText());
            } catch (GoDuration.InvalidDurationException e) {
                throw decodeFailed(e.getMessage());
            }
        } else if (value.isNumber()) {
            nanos = value.isIntegralNumber() ? value.asLong() : (long) value.asDouble();
        } else {
            nanos = 0; // Consul: any other JSON type means no lock-delay
        }
        return nanos < LOCK_DELAY_SECONDS_THRESHOLD ? nanos * SECOND_NS : nanos;
    }

    private static List<String> strings(JsonNode value) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isArray()) {
            throw cannotUnmarshal(value, "[]types.CheckID");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode element : value) {
            if (element.isNull()) {
                out.add("");
            } else if (element.isTextual()) {
                out.add(element.asText());
            } else {
                throw cannotUnmarshal(element, "types.CheckID");
            }
        }
        return out;
    }

    private static List<String> serviceCheckIds(JsonNode value) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isArray()) {
            throw cannotUnmarshal(value, "[]structs.ServiceCheck");
        }
        List<String> ids = new ArrayList<>();
        for (JsonNode element : value) {
            if (!element.isObject()) {
                throw cannotUnmarshal(element, "structs.ServiceCheck");
            }
            String id = "";
            for (Iterator<Map.Entry<String, JsonNode>> it = element.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                if (field.getKey().equalsIgnoreCase("id") && !field.getValue().isNull()) {
                    if (!field.getValue().isTextual()) {
                        throw cannotUnmarshal(field.getValue(), "string");
                    }
                    id = field.getValue().asText();
                }
            }
            ids.add(id);
        }
        return ids;
    }

    private static RejectedException cannotUnmarshal(JsonNode value, String goType) {
        return decodeFailed("json: cannot unmarshal " + jsonKind(value) + " into Go value of type " + goType);
    }

    private static String jsonKind(JsonNode value) {
        return switch (value.getNodeType()) {
            case ARRAY -> "array";
            case OBJECT -> "object";
            case NUMBER -> "number";
            case BOOLEAN -> "bool";
            case STRING -> "string";
            default -> "null";
        };
    }

    private static RejectedException decodeFailed(String detail) {
        return RejectedException.invalid("Request decode failed: " + detail);
    }
}
