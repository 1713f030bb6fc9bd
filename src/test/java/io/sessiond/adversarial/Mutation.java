package io.sessiond.adversarial;

/** The kinds of request the suite sends, and how often (relative weights). */
enum Mutation {
    /** A well-formed request (with ids that may no longer exist): state to attack, and 2xx/404 paths. */
    VALID(6),
    WRONG_METHOD(7),
    MALFORMED_JSON(7),
    TRUNCATED_JSON(5),
    WRONG_JSON_TYPES(7),
    HUGE_BODY(1),
    DEEP_NESTING(3),
    HUGE_HEADERS(2),
    NUL_AND_CONTROL_BYTES(7),
    INVALID_UTF8_AND_ESCAPES(7),
    PATH_TRAVERSAL(5),
    EXTREME_NUMBERS(9),
    UNKNOWN_PARAMETERS(5),
    SQL_METACHARACTERS(5),
    DUPLICATE_JSON_KEYS(4),
    INVALID_UUIDS(5),
    TOKENS(5),
    /** Ambiguous message framing (request smuggling): both length headers, unknown transfer codings. */
    FRAMING(1),
    MEDIA_TYPES(3);

    final int weight;

    Mutation(int weight) {
        this.weight = weight;
    }
}
