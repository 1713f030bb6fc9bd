package io.sessiond.consul;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sessiond.RejectedException;
import io.sessiond.StoredText;
import io.sessiond.json.InvalidJsonException;
import io.sessiond.json.JsonPath;
import io.sessiond.json.StrictJson;

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
 * {@code Request decode failed: json: cannot unmarshal ...}, and so is malformed JSON, JSON with anything
 * after its value, and a number beyond a float64 (as Go's decoder refuses them). Every string read is text
 * PostgreSQL can store ({@link StoredText}), or {@code Invalid request body: <field> must not contain ...}.
 */
final class GoJsonObject {

    private final Map<String, JsonNode> fields;
    /** Where this object is in the body, with array indexes, for our messages: {@code Checks[0]}; empty at the root. */
    private final String path;
    /** Where this object is as Go names a struct field: {@code RegisterRequest.Checks}. */
    private final String goPath;

    private GoJsonObject(Map<String, JsonNode> fields, String path, String goPath) {
        this.fields = fields;
        this.path = path;
        this.goPath = goPath;
    }

    /** The request body as an object of Go type {@code goType}; an empty body (or JSON null) is an empty object. */
    static GoJsonObject parse(ObjectMapper mapper, byte[] body, String goType) {
        String goStruct = goType.substring(goType.lastIndexOf('.') + 1);
        if (body == null || body.length == 0) {
            return new GoJsonObject(Map.of(), "", goStruct);
        }
        JsonNode root;
        try {
            root = StrictJson.readTree(mapper, body);
        } catch (InvalidJsonException e) {
            throw decodeFailed(switch (e.kind()) {
                case EMPTY -> "EOF";
                case TRUNCATED -> "unexpected EOF";
                case MALFORMED -> e.detail();
                case TRAILING_DATA -> "invalid character '" + e.detail() + "' after top-level value";
                // Go decodes such a number as float64, whatever the field, and fails.
                case NUMBER_OUT_OF_RANGE -> "json: cannot unmarshal number " + e.detail() + (e.path().isEmpty()
                        ? " into Go value of type " + goType
                        : " into Go struct field " + goStruct + "." + goPath(e.path()) + " of type float64");
            });
        }
        return of(root, goType, "", goStruct);
    }

    private static GoJsonObject of(JsonNode node, String goType, String path, String goPath) {
        if (node.isNull()) {
            return new GoJsonObject(Map.of(), path, goPath);
        }
        if (!node.isObject()) {
            throw cannotUnmarshal(node, goType);
        }
        Map<String, JsonNode> fields = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            fields.put(field.getKey().toLowerCase(Locale.ROOT), field.getValue());
        }
        return new GoJsonObject(fields, path, goPath);
    }

    /** Go names a nested field by the struct fields on the way, without array indexes. */
    private static String goPath(List<Object> path) {
        return String.join(".", path.stream().filter(String.class::isInstance).map(String.class::cast).toList());
    }

    private String pathOf(String key) {
        return JsonPath.member(path, key);
    }

    /** {@code text} if PostgreSQL can store it as sent; the field is named as in the body, indexes included. */
    private static String storable(String field, String text) {
        return StoredText.require("Invalid request body: " + field, text);
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
        return storable(pathOf(key), value.asText());
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
        if (!value.isIntegralNumber()) {
            throw cannotUnmarshal(value, "int");
        }
        if (!value.canConvertToInt()) {
            throw cannotUnmarshalField(key, value, "int");
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
                out.add(storable(JsonPath.index(pathOf(key), out.size()), element.asText()));
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
            storable("a key of " + pathOf(key), field.getKey());
            out.put(field.getKey(), storable(JsonPath.member(pathOf(key), field.getKey()), field.getValue().asText()));
        }
        return out;
    }

    /** A nested object; empty when absent. */
    Optional<GoJsonObject> object(String key, String goType) {
        JsonNode value = raw(key);
        return value == null || value.isNull() ? Optional.empty()
                : Optional.of(of(value, goType, pathOf(key), goPath + "." + key));
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
        for (JsonNode element : value) {
            out.add(of(element, goType, JsonPath.index(pathOf(key), out.size()), goPath + "." + key));
        }
        return out;
    }

    /** A number the field {@code key}'s Go type cannot hold, in Go's words for a struct field. */
    RejectedException cannotUnmarshalField(String key, JsonNode number, String goType) {
        return decodeFailed("json: cannot unmarshal number " + number.asText() + " into Go struct field " + goPath + "."
                + key + " of type " + goType);
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
