package io.sessiond.jsonapi;

import io.sessiond.acl.Caller;
import io.sessiond.go.GoDuration;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The query parameters of an admin request, checked: each endpoint names the families it takes, and
 * anything else, or a malformed value, is a 400 naming the parameter (JSON:API's rule; {@code rdns},
 * {@code pretty} and {@code ttl} keep MaxScale's names as documented exceptions to its naming rule).
 *
 * <ul>
 *   <li>{@code fields[TYPE]=a,b/c}: sparse fieldsets; each entry is a {@code /}-separated path into the
 *       attributes and relationships (MaxScale's semantics; a plain name is a one-segment path).</li>
 *   <li>{@code filter[PATH]=VALUE}: keeps resources whose {@code id}, attribute or relationship at PATH
 *       equals VALUE (an array matches if any element does), or, with a MaxScale filter expression such as
 *       {@code gt(3600)}, compares to it ({@link FieldValues}).</li>
 *   <li>{@code sort=PATH,-PATH}: JSON:API's sort fields (a leading {@code -} descends), where the endpoint
 *       takes them; the collection's own order breaks ties.</li>
 *   <li>{@code page[size]}, {@code page[number]} (0-based) and {@code page[snapshot]} (see the links).</li>
 *   <li>{@code rdns}, {@code pretty}: {@code true} or {@code false}; {@code ttl}: whole seconds, 0 or more.</li>
 *   <li>{@code index}, {@code wait}: a blocking read, as Consul's ({@code index} from the last answer's
 *       {@code X-Consul-Index}, {@code wait} a Go duration, at most 10m); links leave them out.</li>
 *   <li>{@code token}: the ACL token, taken on every endpoint (see {@link Caller}); links leave it out.</li>
 * </ul>
 */
final class JsonApiQuery {

    /** The parameter families an endpoint may take. */
    enum Family { FIELDS, FILTER, SORT, PAGE, SNAPSHOT, BLOCKING, RDNS, PRETTY, TTL }

    /** A page of a collection: its size and 0-based number, and the snapshot it is taken from, if any. */
    record Page(int size, int number, OptionalLong snapshot) {
    }

    /** The longest a blocking read waits, as Consul's. */
    static final Duration MAX_WAIT = Duration.ofMinutes(10);
    static final Duration DEFAULT_WAIT = Duration.ofMinutes(5);
    /** How a read waits: parameters of the request, not of the document, so links leave them out. */
    private static final Set<String> WAITING = Set.of("index", "wait");

    private static final Pattern FAMILY_MEMBER = Pattern.compile("(fields|filter|page)\\[([^\\[\\]]*)]");

    /** Every parameter as sent, decoded and in order: links repeat them. */
    private final List<Map.Entry<String, String>> parameters;
    private final Map<String, List<List<String>>> fields = new LinkedHashMap<>();
    private final Map<String, FieldValues.Filter> filters = new LinkedHashMap<>();
    private final List<FieldValues.SortKey> sort = new ArrayList<>();
    private Integer pageSize;
    private Integer pageNumber;
    private Long snapshot;
    private boolean rdns;
    private boolean pretty;
    private Long ttl;
    private Long index;
    private Duration wait;

    private JsonApiQuery(List<Map.Entry<String, String>> parameters) {
        this.parameters = parameters;
    }

    /**
     * Parses the raw query string of a request to an endpoint that takes {@code families}; {@code types}
     * are the resource types that exist and {@code primaryFields} the fields a filter may name.
     */
    static JsonApiQuery parse(String rawQuery, Set<Family> families, Set<String> types, Set<String> primaryFields) {
        // The ACL token is every endpoint's parameter and read by Caller; it is not repeated in the links.
        List<Map.Entry<String, String>> all = decode(rawQuery);
        JsonApiQuery query = new JsonApiQuery(all.stream()
                .filter(parameter -> !parameter.getKey().equals(Caller.TOKEN_PARAMETER))
                .filter(parameter -> !WAITING.contains(parameter.getKey())).toList());
        Set<String> seen = new HashSet<>();
        for (Map.Entry<String, String> parameter : all) {
            if (WAITING.contains(parameter.getKey())) {
                if (!seen.add(parameter.getKey())) {
                    throw JsonApiException.badParameter(parameter.getKey(), "Query parameter '" + parameter.getKey()
                            + "' is given more than once");
                }
                query.blocking(parameter.getKey(), parameter.getValue(), families);
            }
        }
        for (Map.Entry<String, String> parameter : query.parameters) {
            String name = parameter.getKey();
            if (!seen.add(name)) {
                throw JsonApiException.badParameter(name, "Query parameter '" + name + "' is given more than once");
            }
            query.accept(name, parameter.getValue(), families, types, primaryFields);
        }
        if (query.pageNumber != null && query.pageSize == null || query.snapshot != null && query.pageSize == null) {
            throw JsonApiException.badParameter("page[size]", "Paging needs 'page[size]'");
        }
        return query;
    }

    private void accept(String name, String value, Set<Family> families, Set<String> types, Set<String> primaryFields) {
        Matcher member = FAMILY_MEMBER.matcher(name);
        if (member.matches()) {
            String family = member.group(1);
            String key = member.group(2);
            switch (family) {
                case "fields" -> {
                    require(families, Family.FIELDS, name);
                    if (!types.contains(key)) {
                        throw JsonApiException.badParameter(name, "No resource type '" + key + "' (types: "
                                + String.join(", ", types.stream().sorted().toList()) + ")");
                    }
                    fields.put(key, Arrays.stream(value.split(",")).map(JsonApiQuery::path)
                            .filter(path -> !path.isEmpty()).toList());
                }
                case "filter" -> {
                    require(families, Family.FILTER, name);
                    List<String> path = path(key);
                    if (path.isEmpty() || !path.get(0).equals("id") && !primaryFields.contains(path.get(0))) {
                        throw JsonApiException.badParameter(name, "Cannot filter on '" + key + "': not a field of this resource type");
                    }
                    filters.put(key, FieldValues.Filter.parse(path, value, name));
                }
                default -> page(name, key, value, families);
            }
            return;
        }
        switch (name) {
            case "rdns" -> {
                require(families, Family.RDNS, name);
                rdns = bool(name, value);
            }
            case "pretty" -> {
                require(families, Family.PRETTY, name);
                pretty = bool(name, value);
            }
            case "ttl" -> {
                require(families, Family.TTL, name);
                ttl = (long) integer(name, value, 0);
            }
            case "sort" -> {
                if (!families.contains(Family.SORT)) {
                    throw JsonApiException.badParameter(name, "Sorting is not supported here: this collection is "
                            + "ordered by creation time, then ID");
                }
                sort(name, value, primaryFields);
            }
            default -> throw JsonApiException.badParameter(name, "Unknown query parameter '" + name + "'");
        }
    }

    private void blocking(String name, String value, Set<Family> families) {
        require(families, Family.BLOCKING, name);
        if (name.equals("index")) {
            try {
                index = Long.parseUnsignedLong(value);
                return;
            } catch (NumberFormatException e) {
                throw JsonApiException.badParameter(name, "'index' must be an unsigned integer (an X-Consul-Index), not '"
                        + value + "'");
            }
        }
        long nanos;
        try {
            nanos = GoDuration.parse(value);
        } catch (GoDuration.InvalidDurationException e) {
            throw JsonApiException.badParameter(name, "'wait' must be a duration such as 30s or 5m, not '" + value + "'");
        }
        wait = nanos <= 0 ? DEFAULT_WAIT : nanos > MAX_WAIT.toNanos() ? MAX_WAIT : Duration.ofNanos(nanos);
    }

    private void sort(String name, String value, Set<String> primaryFields) {
        for (String key : value.split(",", -1)) {
            boolean descending = key.startsWith("-");
            List<String> path = path(descending ? key.substring(1) : key);
            if (path.isEmpty() || !path.get(0).equals("id") && !primaryFields.contains(path.get(0))) {
                throw JsonApiException.badParameter(name, "Cannot sort on '" + key + "': not a field of this resource type");
            }
            sort.add(new FieldValues.SortKey(path, descending));
        }
    }

    private void page(String name, String key, String value, Set<Family> families) {
        require(families, Family.PAGE, name);
        switch (key) {
            case "size" -> pageSize = integer(name, value, 1);
            case "number" -> pageNumber = integer(name, value, 0);
            case "snapshot" -> {
                require(families, Family.SNAPSHOT, name);
                snapshot = (long) integer(name, value, 1);
            }
            default -> throw JsonApiException.badParameter(name, "Unknown query parameter '" + name
                    + "' (paging takes page[size] and page[number])");
        }
    }

    private static void require(Set<Family> families, Family family, String name) {
        if (!families.contains(family)) {
            throw JsonApiException.badParameter(name, "Query parameter '" + name + "' is not supported here");
        }
    }

    private static boolean bool(String name, String value) {
        return switch (value) {
            case "true" -> true;
            case "false" -> false;
            default -> throw JsonApiException.badParameter(name, "'" + name + "' must be true or false, not '" + value + "'");
        };
    }

    private static int integer(String name, String value, int min) {
        try {
            int number = Integer.parseInt(value);
            if (number >= min) {
                return number;
            }
        } catch (NumberFormatException e) {
            // reported below, with the rule
        }
        throw JsonApiException.badParameter(name, "'" + name + "' must be an integer of at least " + min
                + ", not '" + value + "'");
    }

    /** A MaxScale field path: {@code /}-separated, a leading {@code /} optional, empty segments skipped. */
    private static List<String> path(String text) {
        return Arrays.stream(text.split("/")).filter(segment -> !segment.isEmpty()).toList();
    }

    private static List<Map.Entry<String, String>> decode(String rawQuery) {
        List<Map.Entry<String, String>> decoded = new ArrayList<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return decoded;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = equals < 0 ? pair : pair.substring(0, equals);
            String value = equals < 0 ? "" : pair.substring(equals + 1);
            decoded.add(Map.entry(URLDecoder.decode(name, StandardCharsets.UTF_8),
                    URLDecoder.decode(value, StandardCharsets.UTF_8)));
        }
        return decoded;
    }

    List<Map.Entry<String, String>> parameters() {
        return parameters;
    }

    /** The field paths asked for resources of {@code type}; empty when all fields are wanted. */
    Optional<List<List<String>>> fields(String type) {
        return Optional.ofNullable(fields.get(type));
    }

    Map<String, FieldValues.Filter> filters() {
        return filters;
    }

    /** The sort keys, most significant first; empty: the collection's own order. */
    List<FieldValues.SortKey> sort() {
        return sort;
    }

    Optional<Page> page() {
        return pageSize == null ? Optional.empty() : Optional.of(new Page(pageSize,
                pageNumber == null ? 0 : pageNumber, snapshot == null ? OptionalLong.empty() : OptionalLong.of(snapshot)));
    }

    boolean rdns() {
        return rdns;
    }

    boolean pretty() {
        return pretty;
    }

    /** The index a blocking read waits to pass; empty (or 0): answer at once. */
    OptionalLong index() {
        return index == null || index == 0 ? OptionalLong.empty() : OptionalLong.of(index);
    }

    Duration waitTime() {
        return wait == null ? DEFAULT_WAIT : wait;
    }

    OptionalLong ttl() {
        return ttl == null ? OptionalLong.empty() : OptionalLong.of(ttl);
    }
}
