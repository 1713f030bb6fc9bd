package io.sessiond.json;

import java.util.List;

/** Where a value is in a JSON document, written as {@code data.list[1].name} for messages. */
public final class JsonPath {

    private JsonPath() {
    }

    /** Member names (String) and array indexes (Integer), from the root. */
    public static String dotted(List<Object> segments) {
        StringBuilder out = new StringBuilder();
        for (Object segment : segments) {
            if (segment instanceof Integer index) {
                out.append('[').append(index).append(']');
            } else {
                if (!out.isEmpty()) {
                    out.append('.');
                }
                out.append(segment);
            }
        }
        return out.toString();
    }

    /** {@code parent} extended by a member name. */
    public static String member(String parent, String name) {
        return parent.isEmpty() ? name : parent + "." + name;
    }

    /** {@code parent} extended by an array index. */
    public static String index(String parent, int index) {
        return parent + "[" + index + "]";
    }
}
