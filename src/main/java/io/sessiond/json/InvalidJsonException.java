package io.sessiond.json;

import java.util.List;

/** A request body that is not exactly one acceptable JSON value: why, and where. */
public final class InvalidJsonException extends RuntimeException {

    public enum Kind {
        /** No value at all (only whitespace). */
        EMPTY,
        /** The value ends before it is complete. */
        TRUNCATED,
        /** Not JSON; the detail is the parser's message. */
        MALFORMED,
        /** Something other than whitespace after the value; the detail is its first character. */
        TRAILING_DATA,
        /** A number beyond the range of a double; the detail is the number as written, the path where it is. */
        NUMBER_OUT_OF_RANGE
    }

    private final Kind kind;
    private final String detail;
    private final List<Object> path;

    InvalidJsonException(Kind kind, String detail, List<Object> path) {
        super(kind + ": " + detail, null, false, false);
        this.kind = kind;
        this.detail = detail;
        this.path = List.copyOf(path);
    }

    public Kind kind() {
        return kind;
    }

    public String detail() {
        return detail;
    }

    /** Member names (String) and array indexes (Integer) from the root to the offending value. */
    public List<Object> path() {
        return path;
    }

    /** The path as {@code data.list[1]}. */
    public String dottedPath() {
        return JsonPath.dotted(path);
    }
}
