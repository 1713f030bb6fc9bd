package io.sessiond.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.core.util.JsonParserDelegate;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The one way request bodies are read as JSON, in every dialect: exactly one JSON value with nothing but
 * whitespace after it, and no number a double cannot hold (Jackson would read {@code 1e400} as Infinity
 * and store it as the string "Infinity" or clamp it to Long.MAX_VALUE). What is refused is an
 * {@link InvalidJsonException}, which each dialect words in its own form.
 */
public final class StrictJson {

    private StrictJson() {
    }

    /** Makes {@code mapper}'s own reads refuse trailing tokens too, for code that binds with it directly. */
    public static ObjectMapper configure(ObjectMapper mapper) {
        return mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    public static JsonNode readTree(ObjectMapper mapper, String json) {
        return readTree(mapper, json.getBytes(StandardCharsets.UTF_8));
    }

    /** The one JSON value in {@code json}; an {@link InvalidJsonException} when there is none, or more. */
    public static JsonNode readTree(ObjectMapper mapper, byte[] json) {
        try (JsonParser parser = new FiniteNumbers(mapper.createParser(json))) {
            // Trailing data is found below, to name its first character as Go does.
            JsonNode root = mapper.reader().without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readTree(parser);
            if (root == null || root.isMissingNode()) {
                throw new InvalidJsonException(InvalidJsonException.Kind.EMPTY, "no JSON value", List.of());
            }
            int end = (int) parser.currentLocation().getByteOffset();
            while (end < json.length && isJsonWhitespace(json[end])) {
                end++;
            }
            if (end < json.length) {
                String rest = new String(json, end, Math.min(4, json.length - end), StandardCharsets.UTF_8);
                throw new InvalidJsonException(InvalidJsonException.Kind.TRAILING_DATA,
                        new String(Character.toChars(rest.codePointAt(0))), List.of());
            }
            return root;
        } catch (JsonEOFException e) {
            throw new InvalidJsonException(InvalidJsonException.Kind.TRUNCATED, e.getOriginalMessage(), List.of());
        } catch (JsonProcessingException e) {
            throw new InvalidJsonException(InvalidJsonException.Kind.MALFORMED, e.getOriginalMessage(), List.of());
        } catch (IOException e) {
            // Reading a byte array does no I/O.
            throw new UncheckedIOException(e);
        }
    }

    private static boolean isJsonWhitespace(byte b) {
        return b == ' ' || b == '\t' || b == '\n' || b == '\r';
    }

    /** A parser that refuses a number a double cannot hold when the tree asks for its value. */
    private static final class FiniteNumbers extends JsonParserDelegate {

        FiniteNumbers(JsonParser parser) {
            super(parser);
        }

        @Override
        public double getDoubleValue() throws IOException {
            double value = super.getDoubleValue();
            if (!Double.isFinite(value)) {
                throw outOfRange();
            }
            return value;
        }

        @Override
        public float getFloatValue() throws IOException {
            float value = super.getFloatValue();
            if (!Float.isFinite(value)) {
                throw outOfRange();
            }
            return value;
        }

        private InvalidJsonException outOfRange() throws IOException {
            return new InvalidJsonException(InvalidJsonException.Kind.NUMBER_OUT_OF_RANGE, getText(), path(getParsingContext()));
        }

        /** Member names and array indexes from the root down to the current value. */
        private static List<Object> path(JsonStreamContext context) {
            List<Object> path = new ArrayList<>();
            for (JsonStreamContext at = context; at != null && !at.inRoot(); at = at.getParent()) {
                path.add(at.inArray() ? (Object) at.getCurrentIndex() : at.getCurrentName());
            }
            Collections.reverse(path);
            return path;
        }
    }
}
