package io.sessiond.consul;

import io.sessiond.RejectedException;
import io.sessiond.StoredText;
import io.vertx.core.http.HttpServerRequest;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Consul's path parameters (keys, session IDs, node names, check IDs, ACL policy and token IDs and names),
 * read as Go's net/http hands them to Consul: the request's raw path after the route's prefix,
 * percent-decoded ({@code %2F} too) as strict UTF-8. JAX-RS's own decoding would drop everything from a
 * {@code ;} as a matrix parameter and turn invalid UTF-8 into U+FFFD, so it would address another key than
 * the one sent. Invalid escapes, invalid UTF-8, dot segments and text PostgreSQL cannot store are a 400.
 */
public final class ConsulPath {

    private static final String KV_PREFIX = "/v1/kv/";

    private ConsulPath() {
    }

    /** The KV key of a {@code /v1/kv/...} request: for the KV resource and for a filter that checks its permission. */
    public static String kvKey(String rawPath) {
        return parameter(rawPath, KV_PREFIX, "key");
    }

    static String kvKey(HttpServerRequest request) {
        return kvKey(request.path());
    }

    /** The parameter after {@code prefix} (which ends in {@code /}) in the request's raw path. */
    static String parameter(HttpServerRequest request, String prefix, String name) {
        return parameter(request.path(), prefix, name);
    }

    /**
     * The parameter after {@code prefix} in {@code rawPath} (undecoded, without the query), decoded;
     * {@code name} names it in messages. The prefix is matched segment by segment after decoding, as the
     * router matched it.
     */
    public static String parameter(String rawPath, String prefix, String name) {
        int segments = (int) prefix.chars().filter(c -> c == '/').count();
        int start = 0;
        for (int i = 0; i < segments; i++) {
            start = rawPath.indexOf('/', start) + 1;
            if (start == 0) {
                throw notInCanonicalForm(rawPath);
            }
        }
        if (!decode(rawPath.substring(0, start), "URL path").equals(prefix)) {
            throw notInCanonicalForm(rawPath);
        }
        String value = decode(rawPath.substring(start), name);
        if (Arrays.asList(value.split("/", -1)).stream().anyMatch(segment -> segment.equals(".") || segment.equals(".."))) {
            // Go's ServeMux would redirect to the cleaned path; a key never holds such a segment.
            throw RejectedException.invalid("Invalid path parameter: " + name + " must not contain a '.' or '..' segment");
        }
        return StoredText.require("Invalid path parameter: " + name, value);
    }

    /**
     * Percent-decodes {@code raw} strictly, as Go's {@code url.PathUnescape}, then reads the bytes as UTF-8.
     * The request line reaches us one char per byte, so each char is its byte.
     */
    static String decode(String raw, String name) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                int high = i + 2 < raw.length() ? Character.digit(raw.charAt(i + 1), 16) : -1;
                int low = i + 2 < raw.length() ? Character.digit(raw.charAt(i + 2), 16) : -1;
                if (high < 0 || low < 0) {
                    throw RejectedException.invalid("Invalid path parameter: " + name + ": invalid URL escape \""
                            + raw.substring(i, Math.min(i + 3, raw.length())) + "\"");
                }
                bytes.write(high << 4 | low);
                i += 2;
            } else if (c < 0x100) {
                bytes.write(c);
            } else {
                bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw RejectedException.invalid("Invalid path parameter: " + name + " is not valid UTF-8: " + raw);
        }
    }

    private static RejectedException notInCanonicalForm(String rawPath) {
        return RejectedException.invalid("Invalid URL path: " + rawPath + " is not in canonical form");
    }
}
