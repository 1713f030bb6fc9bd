package io.sessiond.adversarial;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sessiond.adversarial.FuzzRequest.Draft;
import io.sessiond.adversarial.Routes.Dialect;
import io.sessiond.adversarial.Routes.Route;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.RandomGenerator;
import net.jqwik.api.Tuple;

import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The requests of the adversarial suite, as jqwik arbitraries: for a route, a valid request aimed at what
 * exists ({@link FuzzState}), then one {@link Mutation} applied to it. Values that pick from the state's
 * pools are drawn as numbers and resolved when the request is made, so the pools may grow between requests.
 */
final class RequestGenerator {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int GEN_SIZE = 1000;

    static final List<String> MALFORMED_JSON = List.of("{", "}", "[", "{\"Name\":}", "{'Name':'x'}", "{\"Name\":\"x\",}",
            "[1,2", "nul", "tru", "{\"Name\" \"x\"}", "{\"data\":{}}x", "{}{}", "{\"data\":{}} []", "\"\\x41\"", "{\"a\":01}",
            "{\"a\":.5}", "{\"a\":+1}", "{\"a\":1.}", "{\"a\":NaN}", "{\"a\":Infinity}", "{a:1}", "{\"a\":\"unterminated}",
            "/* comment */ {}", "{\"a\":1} // comment", "\uFEFF{}", ",", ":", "\"", "{\"a\":[}", "{\"ttl\":}", "[]]");
    static final List<String> WRONG_VALUES = List.of("1", "-1", "1.5", "true", "false", "null", "\"str\"", "\"\"", "[]",
            "[1,\"a\",null]", "{}", "{\"a\":{}}", "[[]]", "0", "\"1\"", "\"true\"");
    static final List<String> NUMBERS = List.of("-1", "0", "1", "9223372036854775807", "9223372036854775808",
            "18446744073709551615", "18446744073709551616", "99999999999999999999999999", "1e400", "1e-400", "NaN",
            "Infinity", "-Infinity", "0x10", "+1", "%201", "1.5", "", "%00", "%EF%BC%91", "-0", "00000000001",
            "2147483648", "-2147483649", "1%2C2");
    static final List<String> WAITS = List.of("-1s", "0s", "1x", "", "9999999999h", "1e400s", "2562047h47m16.854775807s",
            "2562048h", "9223372036854775807ns", "9223372036854775808ns", "10m", "11m", "1.5h", "-0", "+5ms", "5",
            "%00", "1h1h", "1%C2%B5s", "NaNs", ".s", "1.s");
    /** Extreme JSON numbers and duration strings for numeric or duration members (TTL, LockDelay, ttl, Port). */
    static final List<String> JSON_NUMBERS = List.of("1e400", "-1e400", "-1", "9223372036854775808", "18446744073709551616",
            "1e-400", "-0", "123456789012345678901234567890", "0.0000001", "1E+2", "9.3e18", "\"9999999999h\"",
            "\"-5s\"", "\"1e400s\"", "\"2562048h\"", "\"86401s\"", "\"0s\"", "\"-0s\"", "\"9223372036854775808ns\"",
            "\"1.5.5s\"", "\"s\"", "\"1d\"", "\"\"");
    static final List<String> PATH_TRAVERSAL = List.of("..", "../..", "../../../../etc/passwd", "..%2F..%2Fetc%2Fpasswd",
            "%2e%2e%2f%2e%2e%2f", "%2e%2e", "..;", "./.", "//", "%2F", "..%5C..%5Cwindows", ".%2e/", "%2E", "a/../../b",
            "%252e%252e%252f", "..%00/");
    static final List<String> NUL_AND_CONTROL = List.of("a%00b", "%00", "%01", "%1F", "%7F", "a%0D%0Ab", "%09", "%0A",
            "%C2%80", "%E2%80%8B", "%00%00%00");
    static final List<String> INVALID_UTF8 = List.of("%FF%FE", "%C0%AF", "%ED%A0%80", "%F4%90%80%80", "%E2%82", "%zz",
            "%", "%2", "a%%b", "%u0041", "%C3", "%F8%88%80%80%80", "%80");
    static final List<String> JSON_ESCAPES = List.of("\\ud800", "\\udfff", "\\ud800\\u0041", "\\uZZZZ", "\\x41", "\\u12",
            "\\q", "\\", "\\u0000", "\\udbff\\udfff\\ud800");
    static final List<byte[]> RAW_INVALID_UTF8 = List.of(new byte[]{(byte) 0xFF}, new byte[]{(byte) 0xC0, (byte) 0xAF},
            new byte[]{(byte) 0xED, (byte) 0xA0, (byte) 0x80}, new byte[]{(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
            new byte[]{(byte) 0xE2, (byte) 0x82}, new byte[]{0, 1, 2, 0x1F});
    static final List<String> SQL = List.of("' OR '1'='1", "'; DROP TABLE sessions; --", "\" OR \"\"=\"", "%", "_", "\\",
            "%' --", "1; SELECT pg_sleep(3)", "$$x$$", "E'\\\\x00'", "::text", "/*", "*/", "') OR ('a'='a", "\\'");
    static final List<String> UNKNOWN_NAMES = List.of("foo", "bar[baz]", "page[x]", "fields[nope]", "filter[zzz]", "sort",
            "include", "a[b][c]", "%00", "%FF", "", "dc", "ns", "partition", "pretty", "rdns", "stale", "consistent",
            "cached", "filter", "near", "node-meta", "separator", "recurse", "keys", "raw", "cas", "acquire", "release",
            "flags", "index", "wait", "token", "page[size]", "fields[sessions]", "filter[id]", "max_stale", "note");
    static final List<String> UNKNOWN_VALUES = List.of("", "1", "true", "x", "%00", "%FF", "'", "a,b", "%5B%5D");
    static final List<String> MEDIA_TYPES = List.of("application/vnd.api+json; charset=utf-8",
            "application/vnd.api+json; ext=\"x\"", "text/plain", "application/xml", "*/*;q=0", "garbage", "",
            "multipart/form-data; boundary=x", "application/x-www-form-urlencoded", "application/json; charset=latin1",
            "text/html", "application/vnd.api+json;profile=\"a\"", "image/png");
    static final List<String> METHODS = List.of("GET", "PUT", "POST", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE",
            "PROPFIND", "get", "FOO");
    static final List<Integer> HUGE_BODY_SIZES = List.of(600_000, 1_100_000, 3_000_000);
    static final List<Integer> DEPTHS = List.of(200, 999, 1000, 1001, 2000, 10_000, 100_000);
    static final List<Integer> HEADER_SIZES = List.of(7_000, 9_000, 20_000, 40_000, 70_000);

    private final FuzzState state;
    private final boolean aclEnabled;
    private final Map<Route, RandomGenerator<FuzzRequest>> generators = new HashMap<>();
    private final Map<Integer, byte[]> hugeBodies = new HashMap<>();

    RequestGenerator(FuzzState state, boolean aclEnabled) {
        this.state = state;
        this.aclEnabled = aclEnabled;
    }

    /** The next request for {@code route}, drawn with {@code random}. */
    FuzzRequest next(Route route, Random random) {
        return generators.computeIfAbsent(route, r -> requests(r).generator(GEN_SIZE)).next(random).value();
    }

    /** A request for the route: a valid draft, one mutation applied. */
    Arbitrary<FuzzRequest> requests(Route route) {
        List<Tuple.Tuple2<Integer, Arbitrary<Consumer<Draft>>>> mutations = new ArrayList<>();
        for (Mutation mutation : Mutation.values()) {
            mutations.add(Tuple.of(mutation.weight, mutation(mutation, route).map(change -> (Consumer<Draft>) draft -> {
                draft.mutation = mutation;
                change.accept(draft);
            })));
        }
        return Combinators.combine(valid(route), Arbitraries.frequencyOf(mutations)).as((draft, mutate) -> {
            mutate.accept(draft);
            return draft.build();
        });
    }

    private static Arbitrary<Integer> anyInt() {
        return Arbitraries.integers().between(0, Integer.MAX_VALUE);
    }

    private static String pick(List<String> values, int index) {
        return values.get(Math.floorMod(index, values.size()));
    }

    // ---------------------------------------------------------------- the valid request

    private Arbitrary<Draft> valid(Route route) {
        List<String> parameters = route.parameters();
        return Combinators.combine(anyInt().list().ofSize(Math.max(parameters.size(), 1)), anyInt(), anyInt())
                .as((picks, bodyPick, variant) -> {
                    Map<String, String> values = new LinkedHashMap<>();
                    for (int i = 0; i < parameters.size(); i++) {
                        String name = parameters.get(i);
                        values.put(name, encodePath(name, pick(state.valuesFor(name, route.template()), picks.get(i))));
                    }
                    Draft draft = new Draft(route, values);
                    if (route.takesBody()) {
                        String body = validBody(route, bodyPick);
                        if (body != null) {
                            draft.body(body);
                            if (route.dialect() != Dialect.CONSUL || variant % 2 == 0) {
                                draft.header("Content-Type", "application/json");
                            }
                        }
                    }
                    if (route.dialect() == Dialect.CONSUL && route.method().equals("GET") && variant % 3 == 0) {
                        // A blocking read that returns at once: the index is below the table's.
                        draft.param("index", "1").param("wait", "1ms");
                    }
                    if (aclEnabled && state.managementToken != null) {
                        // Most requests carry a token that passes the ACLs, so that they reach the resource.
                        draft.header("X-Consul-Token", variant % 7 == 0 && state.readOnlyToken != null
                                ? state.readOnlyToken : state.managementToken);
                    }
                    return draft;
                });
    }

    /**
     * A valid body for the route, chosen by what its path says it takes; a route none of these fits gets a
     * generic JSON object (and every mutation). Nothing here makes state expire by itself: no session or
     * check TTLs, no lock delays.
     */
    private String validBody(Route route, int pick) {
        String template = route.template();
        int n = Math.floorMod(pick, 1_000_000);
        if (template.endsWith("/session/create")) {
            return n % 3 == 0 ? "{\"Name\":\"fuzz-" + n + "\",\"LockDelay\":\"0s\",\"Behavior\":\"delete\",\"Checks\":[]}"
                    : "{\"Name\":\"fuzz-" + n + "\",\"LockDelay\":\"0s\"}";
        }
        if (template.endsWith("/catalog/register")) {
            return "{\"Node\":\"fuzz-node-" + n % 50 + "\",\"Address\":\"10.0.0." + n % 250 + "\",\"Service\":{\"ID\":\"web-"
                    + n % 7 + "\",\"Service\":\"web\",\"Tags\":[\"t\"],\"Port\":8080},\"Check\":{\"CheckID\":\"web-check-"
                    + n % 7 + "\",\"Name\":\"web check\",\"Status\":\"passing\",\"ServiceID\":\"web-" + n % 7 + "\"}}";
        }
        if (template.endsWith("/catalog/deregister")) {
            // Never this instance's own node: sessions are created on it.
            List<String> others = state.nodes.stream().filter(node -> !node.equals(state.localNode)).toList();
            String node = others.isEmpty() ? "fuzz-node-x" : pick(others, pick);
            return "{\"Node\":\"" + node + "\",\"ServiceID\":\"web-" + n % 7 + "\"}";
        }
        if (template.endsWith("/check/register")) {
            return "{\"Name\":\"fuzz check\",\"CheckID\":\"fuzz-check-" + n % 20 + "\",\"Status\":\"passing\"}";
        }
        if (template.contains("/check/update")) {
            return "{\"Status\":\"passing\",\"Output\":\"ok " + n + "\"}";
        }
        if (template.contains("/acl/policy")) {
            return "{\"Name\":\"fuzz-policy-" + n + "\",\"Rules\":\"{\\\"key_prefix\\\":{\\\"fuzz/\\\":{\\\"policy\\\":\\\"read\\\"}}}\"}";
        }
        if (template.contains("/acl/token")) {
            return "{\"Description\":\"fuzz " + n + "\",\"Policies\":[{\"Name\":\"" + pick(state.policyNames, pick) + "\"}]}";
        }
        if (template.endsWith("/lock")) {
            return "{\"ttl\":30}";
        }
        if (template.contains("web-sessions")) {
            return "{\"data\":{\"user\":\"u-" + n + "\",\"cart\":[\"book\",1],\"n\":1.5}}";
        }
        if (template.contains("/kv/")) {
            return "value-" + n;
        }
        if (template.contains("/acl/bootstrap")) {
            return null;
        }
        return "{\"Name\":\"fuzz-" + n + "\"}";
    }

    /** A path parameter value as it goes into the path: KV keys keep their slashes. */
    private static String encodePath(String parameter, String value) {
        String encoded = URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
        return parameter.equals("key") ? encoded.replace("%2F", "/") : encoded;
    }

    private static String encodeQuery(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    // ---------------------------------------------------------------- mutations

    private Arbitrary<Consumer<Draft>> mutation(Mutation mutation, Route route) {
        return switch (mutation) {
            case VALID -> Arbitraries.just(draft -> draft.detail = "valid");
            case WRONG_METHOD -> Arbitraries.of(METHODS).map(method -> draft -> {
                draft.method = method.equals(draft.method) ? "PATCH" : method;
                draft.detail = "method " + draft.method;
            });
            case MALFORMED_JSON -> Arbitraries.oneOf(
                    Arbitraries.of(MALFORMED_JSON).map(text -> draft -> json(draft, text, "malformed sample")),
                    Combinators.combine(anyInt(), Arbitraries.of('{', '}', '[', ']', '"', ',', ':', '\\', 'x', ' ', '\u0000'))
                            .as((position, character) -> draft -> {
                                String text = jsonText(draft);
                                int at = Math.floorMod(position, text.length() + 1);
                                String edited = position % 2 == 0 ? text.substring(0, at) + character + text.substring(at)
                                        : text.substring(0, Math.max(at - 1, 0)) + text.substring(at);
                                json(draft, edited, "edited at " + at);
                            }));
            case TRUNCATED_JSON -> anyInt().map(cut -> draft -> {
                String text = jsonText(draft);
                int at = 1 + Math.floorMod(cut, Math.max(text.length() - 1, 1));
                json(draft, text.substring(0, Math.min(at, text.length() - 1)), "truncated at " + at);
            });
            case WRONG_JSON_TYPES -> Combinators.combine(anyInt(), Arbitraries.of(WRONG_VALUES))
                    .as((field, value) -> draft -> replaceMember(draft, field, value.getBytes(StandardCharsets.UTF_8),
                            "wrong type " + value));
            case HUGE_BODY -> Combinators.combine(Arbitraries.of(HUGE_BODY_SIZES), Arbitraries.of(true, false))
                    .as((size, asJson) -> draft -> {
                        draft.body = asJson ? hugeJson(size) : new byte[size];
                        draft.detail = (asJson ? "JSON of " : "zero bytes, ") + size + " bytes";
                    });
            case DEEP_NESTING -> Combinators.combine(Arbitraries.of(DEPTHS), Arbitraries.of("array", "object", "member"), anyInt())
                    .as((depth, shape, field) -> draft -> {
                        String nested = nested(depth, !shape.equals("array"));
                        if (shape.equals("member")) {
                            replaceMember(draft, field, nested.getBytes(StandardCharsets.UTF_8), "member nested " + depth + " deep");
                        } else {
                            json(draft, nested, shape + " nested " + depth + " deep");
                        }
                    });
            case HUGE_HEADERS -> Combinators.combine(Arbitraries.of(HEADER_SIZES),
                            Arbitraries.of("X-Fuzz", "Cookie", "X-Consul-Token", "If-Match", "many"))
                    .as((size, header) -> draft -> {
                        draft.ownConnection = true;
                        draft.malformedHead = true;
                        if (header.equals("many")) {
                            for (int i = 0; i < size / 100; i++) {
                                draft.header("X-Fuzz-" + i, "v".repeat(90));
                            }
                        } else {
                            draft.removeHeader(header).header(header, "a".repeat(size));
                        }
                        draft.detail = header + " header of " + size + " bytes";
                    });
            case NUL_AND_CONTROL_BYTES -> Combinators.combine(Arbitraries.of(NUL_AND_CONTROL), Arbitraries.of("path", "query",
                            "json", "header", "raw body"), anyInt())
                    .as((value, where, field) -> draft -> {
                        switch (where) {
                            case "path" -> inPath(draft, field, value, true);
                            case "query" -> {
                                draft.param(queryName(draft, field), value);
                                draft.detail = "parameter";
                            }
                            case "json" -> setString(draft, field, "\\u0000" + "\\u0001".repeat(field % 3) + "x", "NUL escape in a string");
                            case "header" -> {
                                draft.ownConnection = true;
                                draft.malformedHead = true;
                                draft.header(field % 2 == 0 ? "X-Consul-Token" : "X-Fuzz", "a\u0000b\u0001");
                            }
                            default -> setRawString(draft, field, new byte[]{'a', 0, 'b', 0x1F});
                        }
                        draft.detail = where + ": " + draft.detail + " " + value;
                    });
            case INVALID_UTF8_AND_ESCAPES -> Combinators.combine(Arbitraries.of(INVALID_UTF8), Arbitraries.of(JSON_ESCAPES),
                            Arbitraries.of(RAW_INVALID_UTF8), Arbitraries.of("path", "query", "json escape", "json bytes",
                                    "raw target", "header"), anyInt())
                    .as((escape, jsonEscape, raw, where, field) -> draft -> {
                        switch (where) {
                            case "path" -> inPath(draft, field, escape, true);
                            case "query" -> {
                                draft.param(queryName(draft, field), escape);
                                draft.detail = "query parameter";
                            }
                            case "json escape" -> setString(draft, field, jsonEscape, "escape " + jsonEscape);
                            case "json bytes" -> setRawString(draft, field, raw);
                            case "raw target" -> {
                                draft.ownConnection = true;
                                draft.malformedHead = true;
                                inPath(draft, field, new String(raw, StandardCharsets.ISO_8859_1), false);
                            }
                            default -> {
                                draft.ownConnection = true;
                                draft.malformedHead = true;
                                draft.header("X-Session-Cookie", new String(raw, StandardCharsets.ISO_8859_1));
                            }
                        }
                        draft.detail = where + " " + draft.detail;
                    });
            case PATH_TRAVERSAL -> Combinators.combine(Arbitraries.of(PATH_TRAVERSAL), anyInt())
                    .as((value, field) -> draft -> inPath(draft, field, value, true));
            case EXTREME_NUMBERS -> Combinators.combine(Arbitraries.of("index", "wait", "ttl", "page[size]", "page[number]",
                            "page[snapshot]", "flags", "cas", "json", "json", "If-Match"), Arbitraries.of(NUMBERS),
                            Arbitraries.of(WAITS), Arbitraries.of(JSON_NUMBERS), anyInt())
                    .as((where, number, wait, jsonNumber, field) -> draft -> extremeNumber(draft, where, number, wait,
                            jsonNumber, field));
            case UNKNOWN_PARAMETERS -> Combinators.combine(Arbitraries.of(UNKNOWN_NAMES).list().ofMinSize(1).ofMaxSize(3),
                            Arbitraries.of(UNKNOWN_VALUES), Arbitraries.of(true, false))
                    .as((names, value, repeat) -> draft -> {
                        for (String name : names) {
                            draft.param(name, noLongWait(name, value));
                            if (repeat) {
                                draft.param(name, noLongWait(name, "2"));
                            }
                        }
                        draft.detail = "parameters " + names + (repeat ? " twice" : "");
                    });
            case SQL_METACHARACTERS -> Combinators.combine(Arbitraries.of(SQL), Arbitraries.of("path", "query", "json", "token"),
                            anyInt())
                    .as((sql, where, field) -> draft -> {
                        switch (where) {
                            case "path" -> inPath(draft, field, encodeQuery(sql).replace("+", "%20"), true);
                            case "query" -> draft.param(queryName(draft, field), encodeQuery(sql));
                            case "json" -> setString(draft, field, jsonEscape(sql), "SQL in a string");
                            default -> draft.removeHeader("X-Consul-Token").header("X-Consul-Token", sql);
                        }
                        draft.detail = where + " " + draft.detail + " " + sql;
                    });
            case DUPLICATE_JSON_KEYS -> Combinators.combine(anyInt(), Arbitraries.of(WRONG_VALUES))
                    .as((field, value) -> draft -> duplicateKey(draft, field, value));
            case INVALID_UUIDS -> Combinators.combine(anyInt(), anyInt(), Arbitraries.of("path", "acquire", "release",
                            "token", "Lock-Token", "ID", "AccessorID", "SecretID", "Session")).as((variant, field, where) -> draft ->
                    invalidUuid(draft, variant, field, where));
            case TOKENS -> Combinators.combine(Arbitraries.of("none", "management", "read-only", "anonymous", "garbage",
                            "random", "empty", "nul"), Arbitraries.of("X-Consul-Token", "Authorization", "query", "conflicting"),
                            anyInt())
                    .as((token, transport, seed) -> draft -> token(draft, token, transport, seed));
            case FRAMING -> Arbitraries.of("CL+TE chunked", "TE xchunked", "TE gzip, chunked", "TE chunked, identity",
                    "two CL", "negative CL", "TE twice").map(framing -> draft -> framing(draft, framing));
            case MEDIA_TYPES -> Combinators.combine(Arbitraries.of(MEDIA_TYPES), Arbitraries.of("Content-Type", "Accept", "both"))
                    .as((type, header) -> draft -> {
                        if (!header.equals("Accept")) {
                            draft.removeHeader("Content-Type").header("Content-Type", type);
                        }
                        if (!header.equals("Content-Type")) {
                            draft.removeHeader("Accept").header("Accept", type);
                        }
                        draft.detail = header + ": " + type;
                    });
        };
    }

    /** A wait in an unknown-parameter mutation stays short: blocking reads must not stall the run. */
    private static String noLongWait(String name, String value) {
        return name.equals("wait") ? "1ms" : value;
    }

    /** A query parameter this route's dialect knows, to carry a bad value. */
    private static String queryName(Draft draft, int field) {
        List<String> names = switch (draft.route.dialect()) {
            case CONSUL -> List.of("dc", "separator", "acquire", "release", "note", "token", "filter", "ns", "cas", "flags");
            case JSON_API -> List.of("filter[id]", "fields[sessions]", "page[size]", "rdns", "pretty", "ttl", "token");
            case WEB_SESSION -> List.of("token", "x");
        };
        String name = pick(names, field);
        return name.equals("ttl") ? "rdns" : name;
    }

    private void extremeNumber(Draft draft, String where, String number, String wait, String jsonNumber, int field) {
        switch (where) {
            case "index" -> draft.removeParam("index").removeParam("wait").param("index", number).param("wait", "1ms");
            case "wait" -> draft.removeParam("index").removeParam("wait").param("wait", wait);
            case "json" -> replaceMember(draft, field, jsonNumber.getBytes(StandardCharsets.UTF_8), "number " + jsonNumber);
            case "If-Match" -> draft.removeHeader("If-Match").header("If-Match", "\"" + number + "\"");
            case "ttl" -> {
                // A small positive ttl is a valid deferred kill, which ends a session later, in the background.
                String ttl = smallPositive(number) ? "-1" : number;
                draft.param("ttl", ttl);
            }
            default -> draft.param(where, number);
        }
        if (!where.equals("json")) {
            draft.detail = where + " " + (where.equals("wait") ? wait : number);
        }
    }

    private static boolean smallPositive(String number) {
        try {
            int value = Integer.parseInt(number.replace("%20", " ").strip());
            return value > 0 && value < 1_000_000;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private void invalidUuid(Draft draft, int variant, int field, String where) {
        List<String> known = state.anyId();
        String base = known.isEmpty() ? UUID.randomUUID().toString() : pick(known, field);
        List<String> invalid = List.of("00000000-0000-0000-0000-00000000000g", "not-a-uuid", base + "0",
                base.length() > 1 ? base.substring(1) : "x", base.toUpperCase(), base.replace("-", ""), "%7B" + base + "%7D",
                "00000000-0000-0000-0000-000000000000", new UUID(field, variant).toString(), "%20" + base, base + "%20",
                "ffffffff-ffff-ffff-ffff-ffffffffffff", "0-0-0-0-0", "");
        String value = pick(invalid, variant);
        switch (where) {
            case "path" -> inPath(draft, field, value, true);
            case "acquire", "release" -> draft.param(where, value);
            case "token" -> draft.removeHeader("X-Consul-Token").header("X-Consul-Token", value.replace("%20", " "));
            case "Lock-Token" -> draft.header("Lock-Token", value.replace("%20", " "));
            default -> setMember(draft, where, "\"" + jsonEscape(value) + "\"");
        }
        draft.detail = where + " " + value;
    }

    private void token(Draft draft, String token, String transport, int seed) {
        String value = switch (token) {
            case "management" -> state.managementToken;
            case "read-only" -> state.readOnlyToken;
            case "anonymous" -> "anonymous";
            case "garbage" -> "not-a-token";
            case "random" -> new UUID(seed, ~seed).toString();
            case "empty" -> "";
            case "nul" -> "%00";
            default -> null;
        };
        draft.removeHeader("X-Consul-Token");
        if (value != null) {
            switch (transport) {
                case "X-Consul-Token" -> draft.header("X-Consul-Token", value.replace("%00", ""));
                case "Authorization" -> draft.header("Authorization", "Bearer " + value.replace("%00", ""));
                case "query" -> draft.param("token", value);
                default -> {
                    draft.header("X-Consul-Token", "not-a-token");
                    draft.param("token", value);
                }
            }
        }
        draft.detail = "token " + token + (value == null ? "" : " by " + transport);
    }

    private static void framing(Draft draft, String framing) {
        byte[] body = draft.body == null || draft.body.length == 0 ? "{}".getBytes(StandardCharsets.UTF_8) : draft.body;
        byte[] chunked = chunked(body);
        draft.ownConnection = true;
        draft.malformedHead = true;
        draft.contentLength = false;
        switch (framing) {
            case "CL+TE chunked" -> {
                draft.header("Content-Length", Integer.toString(chunked.length)).header("Transfer-Encoding", "chunked");
                draft.body = chunked;
            }
            case "TE xchunked" -> {
                draft.header("Transfer-Encoding", "xchunked").header("Content-Length", Integer.toString(body.length));
                draft.body = body;
            }
            case "TE gzip, chunked" -> {
                draft.header("Transfer-Encoding", "gzip, chunked");
                draft.body = chunked;
            }
            case "TE chunked, identity" -> {
                draft.header("Transfer-Encoding", "chunked, identity").header("Content-Length", Integer.toString(body.length));
                draft.body = body;
            }
            case "two CL" -> {
                draft.header("Content-Length", Integer.toString(body.length)).header("Content-Length", Integer.toString(body.length + 1));
                draft.body = body;
            }
            case "negative CL" -> {
                draft.header("Content-Length", "-1");
                draft.body = body;
            }
            default -> {
                draft.header("Transfer-Encoding", "chunked").header("Transfer-Encoding", "chunked");
                draft.body = chunked;
            }
        }
        draft.detail = framing;
    }

    private static byte[] chunked(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes((Integer.toHexString(body.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(body);
        out.writeBytes("\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    // ---------------------------------------------------------------- where a bad value goes

    /**
     * Puts {@code value} (raw, as it goes on the wire) into a path parameter, or, for a route without one, into
     * the path itself (after it, or between its segments).
     */
    private static void inPath(Draft draft, int field, String value, boolean keepsConnection) {
        List<String> parameters = draft.route.parameters();
        if (!parameters.isEmpty()) {
            String name = parameters.get(Math.floorMod(field, parameters.size()));
            String current = draft.pathValues.get(name);
            draft.pathValues.put(name, switch (Math.floorMod(field >> 4, 3)) {
                case 0 -> value;
                case 1 -> current + value;
                default -> value + current;
            });
            draft.detail = "path parameter " + name;
        } else {
            String path = draft.route.fill(draft.pathValues::get);
            String[] segments = path.split("/");
            int at = 2 + Math.floorMod(field, Math.max(segments.length - 1, 1));
            StringBuilder edited = new StringBuilder();
            for (int i = 1; i < segments.length; i++) {
                edited.append('/').append(segments[i]);
                if (i == at - 1) {
                    edited.append('/').append(value);
                }
            }
            if (at >= segments.length) {
                edited.append('/').append(value);
            }
            draft.pathOverride = edited.toString();
            draft.detail = "path";
        }
        if (!keepsConnection) {
            draft.ownConnection = true;
        }
    }

    /** The draft's body as JSON text to mutate; a route without a JSON body gets a small generic one. */
    private String jsonText(Draft draft) {
        String text = draft.bodyText();
        if (text.isEmpty() || !(text.startsWith("{") || text.startsWith("["))) {
            return "{\"Name\":\"fuzz\",\"data\":{\"a\":1},\"ttl\":5}";
        }
        return text;
    }

    private static void json(Draft draft, String text, String detail) {
        draft.body(text);
        if (draft.headers.stream().noneMatch(header -> header.getKey().equals("Content-Type"))) {
            draft.header("Content-Type", "application/json");
        }
        draft.detail = detail;
    }

    /** Every member of the body's JSON, as paths of names (arrays left alone). */
    private static List<List<String>> members(JsonNode node, List<String> path, List<List<String>> into) {
        if (node instanceof ObjectNode object) {
            for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                List<String> member = new ArrayList<>(path);
                member.add(name);
                into.add(member);
                members(object.get(name), member, into);
            }
        }
        return into;
    }

    private ObjectNode tree(Draft draft) {
        try {
            JsonNode parsed = JSON.readTree(jsonText(draft));
            return parsed instanceof ObjectNode object ? object : JSON.createObjectNode().put("Name", "fuzz");
        } catch (JsonProcessingException e) {
            return JSON.createObjectNode().put("Name", "fuzz");
        }
    }

    /** Replaces the value of one member (picked by {@code field}) with the raw bytes {@code value}. */
    private void replaceMember(Draft draft, int field, byte[] value, String detail) {
        ObjectNode tree = tree(draft);
        List<List<String>> members = members(tree, List.of(), new ArrayList<>());
        if (members.isEmpty()) {
            members.add(List.of("Name"));
        }
        List<String> member = members.get(Math.floorMod(field, members.size()));
        ObjectNode parent = tree;
        for (String name : member.subList(0, member.size() - 1)) {
            parent = (ObjectNode) parent.get(name);
        }
        String marker = "@@fuzz-marker@@";
        parent.put(member.get(member.size() - 1), marker);
        splice(draft, tree, marker, value);
        draft.detail = detail + " at " + String.join("/", member);
    }

    private void setMember(Draft draft, String name, String rawJson) {
        ObjectNode tree = tree(draft);
        String marker = "@@fuzz-marker@@";
        tree.put(name, marker);
        splice(draft, tree, marker, rawJson.getBytes(StandardCharsets.UTF_8));
    }

    /** Sets one string member to {@code escaped}, JSON string content as written (escapes kept as they are). */
    private void setString(Draft draft, int field, String escaped, String detail) {
        replaceMember(draft, field, ("\"" + escaped + "\"").getBytes(StandardCharsets.UTF_8), detail);
    }

    /** Sets one string member to a string holding {@code raw} bytes unescaped (invalid UTF-8, control bytes). */
    private void setRawString(Draft draft, int field, byte[] raw) {
        byte[] quoted = new byte[raw.length + 2];
        quoted[0] = '"';
        System.arraycopy(raw, 0, quoted, 1, raw.length);
        quoted[quoted.length - 1] = '"';
        replaceMember(draft, field, quoted, "raw bytes in a string");
    }

    private void splice(Draft draft, ObjectNode tree, String marker, byte[] value) {
        String text = tree.toString();
        int at = text.indexOf("\"" + marker + "\"");
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(text.substring(0, at).getBytes(StandardCharsets.UTF_8));
        body.writeBytes(value);
        body.writeBytes(text.substring(at + marker.length() + 2).getBytes(StandardCharsets.UTF_8));
        draft.body = body.toByteArray();
        if (draft.headers.stream().noneMatch(header -> header.getKey().equals("Content-Type"))) {
            draft.header("Content-Type", "application/json");
        }
    }

    private void duplicateKey(Draft draft, int field, String value) {
        ObjectNode tree = tree(draft);
        List<String> names = new ArrayList<>();
        tree.fieldNames().forEachRemaining(names::add);
        String name = names.isEmpty() ? "Name" : names.get(Math.floorMod(field, names.size()));
        String text = tree.toString();
        String duplicated = field % 2 == 0
                ? "{\"" + name + "\":" + value + "," + text.substring(1)
                : text.substring(0, text.length() - 1) + (names.isEmpty() ? "" : ",") + "\"" + name + "\":" + value + "}";
        json(draft, duplicated, "duplicate key " + name);
    }

    private static String jsonEscape(String text) {
        try {
            String quoted = JSON.writeValueAsString(text);
            return quoted.substring(1, quoted.length() - 1);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private byte[] hugeJson(int size) {
        return hugeBodies.computeIfAbsent(size, s -> ("{\"Name\":\"" + "x".repeat(s) + "\",\"data\":{\"k\":\"v\"}}")
                .getBytes(StandardCharsets.UTF_8));
    }

    private static String nested(int depth, boolean objects) {
        StringBuilder text = new StringBuilder(depth * 6 + 8);
        for (int i = 0; i < depth; i++) {
            text.append(objects ? "{\"a\":" : "[");
        }
        text.append("1");
        for (int i = 0; i < depth; i++) {
            text.append(objects ? '}' : ']');
        }
        return text.toString();
    }
}
