package io.sessiond.adversarial;

import java.nio.charset.StandardCharsets;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One generated request. {@code target} and header values are sent as one byte per char (ISO-8859-1), so
 * they may hold any byte; {@code body} is sent as is.
 */
record FuzzRequest(Routes.Route route, Mutation mutation, String method, String target,
                   List<Map.Entry<String, String>> headers, byte[] body, boolean contentLength,
                   boolean ownConnection, boolean malformedHead, String detail) {

    /** A printable, reproducible description (bytes outside printable ASCII escaped, long parts cut). */
    String describe() {
        StringBuilder text = new StringBuilder();
        text.append(printable(method, 40)).append(' ').append(printable(target, 300));
        for (Map.Entry<String, String> header : headers) {
            text.append("\n    ").append(printable(header.getKey(), 60)).append(": ").append(printable(header.getValue(), 160));
        }
        if (body != null) {
            text.append("\n    body (").append(body.length).append(" bytes): ")
                    .append(printable(new String(body, StandardCharsets.ISO_8859_1), 300));
        }
        return text.toString();
    }

    static String printable(String text, int max) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length() && out.length() < max; i++) {
            char c = text.charAt(i);
            if (c >= 0x20 && c < 0x7f) {
                out.append(c);
            } else if (c < 0x100) {
                out.append(String.format("\\x%02x", (int) c));
            } else {
                out.append(String.format("\\u%04x", (int) c));
            }
        }
        if (out.length() >= max && text.length() > max) {
            out.append("...(").append(text.length()).append(" chars)");
        }
        return out.toString();
    }

    private static final java.util.regex.Pattern MALFORMED_ESCAPE = java.util.regex.Pattern.compile("%(?![0-9A-Fa-f]{2})");

    /** A mutable request under construction. */
    static final class Draft {
        final Routes.Route route;
        Mutation mutation = Mutation.VALID;
        String method;
        /** Path parameter values, raw (already percent-encoded where needed), by name. */
        final Map<String, String> pathValues;
        /** A path that replaces the filled template (path traversal of parameterless routes). */
        String pathOverride;
        /** Raw query parameters: name and value, already encoded. */
        final List<Map.Entry<String, String>> query = new ArrayList<>();
        final List<Map.Entry<String, String>> headers = new ArrayList<>();
        byte[] body;
        boolean contentLength = true;
        boolean ownConnection;
        boolean malformedHead;
        String detail = "";

        Draft(Routes.Route route, Map<String, String> pathValues) {
            this.route = route;
            this.method = route.method();
            this.pathValues = pathValues;
        }

        Draft header(String name, String value) {
            headers.add(new AbstractMap.SimpleEntry<>(name, value));
            return this;
        }

        Draft removeHeader(String name) {
            headers.removeIf(header -> header.getKey().equalsIgnoreCase(name));
            return this;
        }

        Draft param(String name, String value) {
            query.add(new AbstractMap.SimpleEntry<>(name, value));
            return this;
        }

        Draft removeParam(String name) {
            query.removeIf(param -> param.getKey().equals(name));
            return this;
        }

        String bodyText() {
            return body == null ? "" : new String(body, StandardCharsets.UTF_8);
        }

        Draft body(String text) {
            body = text.getBytes(StandardCharsets.UTF_8);
            return this;
        }

        FuzzRequest build() {
            String path = pathOverride != null ? pathOverride : route.fill(pathValues::get);
            StringBuilder target = new StringBuilder(path);
            for (int i = 0; i < query.size(); i++) {
                Map.Entry<String, String> param = query.get(i);
                target.append(i == 0 ? '?' : '&').append(param.getKey());
                if (param.getValue() != null) {
                    target.append('=').append(param.getValue());
                }
            }
            // A '%' not followed by two hex digits is no URI (RFC 3986): the request line itself is malformed.
            boolean malformedTarget = MALFORMED_ESCAPE.matcher(target).find();
            return new FuzzRequest(route, mutation, method, target.toString(), List.copyOf(headers), body, contentLength,
                    ownConnection, malformedHead || malformedTarget, detail);
        }
    }
}
