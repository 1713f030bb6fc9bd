package io.sessiond.jsonapi;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** One admin request: its checked query, how to render, and its own URL for the links. */
final class AdminRequest {

    private final JsonApiQuery query;
    private final Rendering rendering;
    private final String[] path;

    AdminRequest(JsonApiQuery query, Rendering rendering, String[] path) {
        this.query = query;
        this.rendering = rendering;
        this.path = path;
    }

    JsonApiQuery query() {
        return query;
    }

    Rendering rendering() {
        return rendering;
    }

    /** This request's URL, with every query parameter it was sent with. */
    String self() {
        return withParameters(query.parameters());
    }

    /**
     * This request's URL for page {@code number}: the other parameters as sent, then the paging ones
     * (including the snapshot, so that every page shows the same set of resources).
     */
    String page(JsonApiQuery.Page page, long snapshot, long number) {
        List<Map.Entry<String, String>> parameters = new ArrayList<>(query.parameters().stream()
                .filter(parameter -> !parameter.getKey().startsWith("page[")).toList());
        parameters.add(Map.entry("page[size]", Integer.toString(page.size())));
        if (snapshot > 0) {
            parameters.add(Map.entry("page[snapshot]", Long.toString(snapshot)));
        }
        parameters.add(Map.entry("page[number]", Long.toString(number)));
        return withParameters(parameters);
    }

    private String withParameters(List<Map.Entry<String, String>> parameters) {
        String link = rendering.link(path);
        if (parameters.isEmpty()) {
            return link;
        }
        return link + "?" + parameters.stream()
                .map(parameter -> encode(parameter.getKey()) + "=" + encode(parameter.getValue()))
                .collect(Collectors.joining("&"));
    }

    /** Brackets are encoded too, so that curl takes a link as it is (it globs on raw {@code []}). */
    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
