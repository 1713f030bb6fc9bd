package io.sessiond.consul;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sessiond.RejectedException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A JSON object read the way Go's {@code encoding/json} fills a struct: keys match case-insensitively
 * (the last duplicate wins), unknown keys are ignored, a value of the wrong type is
 * {@code Request decode failed: json: cannot unmarshal ...}, and so is malformed JSON.
 */
final class GoJsonObject {

    private final Map<String, JsonNode> fields;

    private GoJsonObject(Map<String, JsonNode> fields) {
        this.fields = fields;
    }

    /** The request body as an object of Go type {@code goType}; an empty body (or JSON null) is an empty object. */
    static GoJsonObject parse(ObjectMapper mapper, byte[] body, String goType) {
        if (body == null || body.length == 0) {
            return new GoJsonObject(Map.of());
        }
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
        return of(root, goType);
    }

    private static GoJsonObject of(JsonNode node, String goType) {
        if (node.isNull()) {
            return new GoJsonObject(Map.of());
        }
        if (!node.isObject()) {
            throw cannotUnmarshal(node, goType);
        }
        Map<String, JsonNode> fields = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            fields.put(field.getKey().toLowerCase(Locale.ROOT), field.getValue());
        }
        return new GoJsonObject(fields);
    }

    boolean has(String key) {
        return fields.containsKey(key.toLowerCase(Locale.ROOT));
    }

    /** The raw value, for fields whose JSON type decides their meaning; null when absent. */
    JsonNode raw(String key) {
        return fields.get(key.toLowerCase(Locale.ROOT));
    }

    /** A string field; null when absent or JSON null. */
    String string(String key) {
        JsonNode value = raw(key);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw cannotUnmarshal(value, "string");
        }
        return value.asText();
    }

    boolean bool(String key) {
        JsonNode value = raw(key);
        if (value == null || value.isNull()) {
            return false;
        }
        if (!value.isBoolean()) {
            throw cannotUnmarshal(value, "bool");
        }
        return value.asBoolean();
    }

    int integer(String key) {
        JsonNode value = raw(key);
        if (value == null || value.isNull()) {
            return 0;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw cannotUnmarshal(value, "int");
        }
        return value.asInt();
    }

    /** A list of strings; null when absent or JSON null, so that null and [] stay apart. */
    List<String> strings(String key, String goType) {
        JsonNode value = raw(key);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isArray()) {
            throw cannotUnmarshal(value, "[]" + goType);
        }
        List<String> out = new ArrayList<>();
        for (JsonNode element : value) {
            if (element.isNull()) {
                out.add("");
            } else if (element.isTextual()) {
                out.add(element.asText());
            } else {
                throw cannotUnmarshal(element, goType);
            }
        }
        return out;
    }

    /** A map of strings; empty when absent. */
    Map<String, String> stringMap(String key) {
        JsonNode value = raw(key);
        Map<String, String> out = new LinkedHashMap<>();
        if (value == null || value.isNull()) {
            return out;
        }
        if (!value.isObject()) {
            throw cannotUnmarshal(value, "map[string]string");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (!field.getValue().isTextual()) {
                throw cannotUnmarshal(field.getValue(), "string");
            }
            out.put(field.getKey(), field.getValue().asText());
        }
        return out;
    }

    /** A nested object; empty when absent. */
    Optional<GoJsonObject> object(String key, String goType) {
        JsonNode value = raw(key);
        return value == null || value.isNull() ? Optional.empty() : Optional.of(of(value, goType));
    }

    /** A list of objects; empty when absent. */
    List<GoJsonObject> objects(String key, String goType) {
        JsonNode value = raw(key);
        if (value == null || value.isNull()) {
            return List.of();
        }
        if (!value.isArray()) {
            throw cannotUnmarshal(value, "[]" + goType);
        }
        List<GoJsonObject> out = new ArrayList<>();
        value.forEach(element -> out.add(of(element, goType)));
        return out;
    }

    static RejectedException cannotUnmarshal(JsonNode value, String goType) {
        return decodeFailed("json: cannot unmarshal " + jsonKind(value) + " into Go value of type " + goType);
    }

    static RejectedException decodeFailed(String detail) {
        return RejectedException.invalid("Request decode failed: " + detail);
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
}
