package io.sessiond.jsonapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Filters and sort keys on the fields of rendered resources (the admin API's {@code filter[PATH]} and
 * {@code sort}). A filter value is either a plain value (equality, as always) or one of MaxScale's filter
 * expressions {@code eq(V)}, {@code ne(V)}, {@code lt(V)}, {@code le(V)}, {@code gt(V)}, {@code ge(V)} whose
 * operand is a JSON value. Values order as what they mean: numbers by value, IMF-fixdates by time, other text
 * by its characters, an array by its size, a relationship by its resource's ID; a resource without the field
 * matches no comparison and sorts last.
 */
final class FieldValues {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern EXPRESSION = Pattern.compile("(eq|ne|lt|le|gt|ge)\\((.*)\\)", Pattern.DOTALL);

    enum Operator { EQ, NE, LT, LE, GT, GE }

    /** One {@code filter[PATH]=VALUE}: {@code operand} is the plain value's text or the expression's JSON value. */
    record Filter(List<String> path, Operator operator, JsonNode operand) {

        /** Parses a filter's value; a malformed expression operand is a 400 naming {@code parameter}. */
        static Filter parse(List<String> path, String value, String parameter) {
            Matcher expression = EXPRESSION.matcher(value);
            if (!expression.matches()) {
                return new Filter(path, Operator.EQ, JSON.getNodeFactory().textNode(value));
            }
            JsonNode operand;
            try {
                operand = JSON.readTree(expression.group(2));
            } catch (Exception e) {
                operand = null;
            }
            if (operand == null || operand.isMissingNode() || operand.isContainerNode()) {
                throw JsonApiException.badParameter(parameter, "'" + parameter + "': the operand of "
                        + expression.group(1) + "(...) must be a JSON string, number, boolean or null, not '"
                        + expression.group(2) + "'");
            }
            return new Filter(path, Operator.valueOf(expression.group(1).toUpperCase()), operand);
        }

        boolean matches(ObjectNode resource) {
            JsonNode value = at(resource, path);
            if (path.size() == 1 && resource.path("relationships").has(path.get(0))) {
                // A relationship matches by the IDs of its resources.
                JsonNode data = value.path("data");
                return anyOrOne(data.isArray() ? data : List.of(data), item -> test(item.path("id")));
            }
            if (value.isArray()) {
                // Equality: any element; an order: the array's size (e.g. more than one connection).
                return operator == Operator.EQ ? anyOrOne(value, this::test)
                        : test(JSON.getNodeFactory().numberNode(value.size()));
            }
            return test(value);
        }

        private boolean test(JsonNode value) {
            if (value.isMissingNode() || value.isContainerNode()) {
                return operator == Operator.NE;
            }
            Optional<Integer> order = compare(value, operand);
            return switch (operator) {
                case EQ -> order.map(c -> c == 0).orElse(false);
                case NE -> order.map(c -> c != 0).orElse(true);
                case LT -> order.map(c -> c < 0).orElse(false);
                case LE -> order.map(c -> c <= 0).orElse(false);
                case GT -> order.map(c -> c > 0).orElse(false);
                case GE -> order.map(c -> c >= 0).orElse(false);
            };
        }

        private static boolean anyOrOne(Iterable<JsonNode> items, Predicate<JsonNode> test) {
            for (JsonNode item : items) {
                if (test.test(item)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** One key of {@code sort}: a field path, descending when it was written with a leading {@code -}. */
    record SortKey(List<String> path, boolean descending) {

        Comparator<ObjectNode> comparator() {
            Comparator<ObjectNode> ascending = (a, b) -> {
                JsonNode x = sortValue(at(a, path));
                JsonNode y = sortValue(at(b, path));
                if (x.isMissingNode() || y.isMissingNode()) {
                    return Boolean.compare(x.isMissingNode(), y.isMissingNode());
                }
                return compare(x, y).orElseGet(() -> x.asText().compareTo(y.asText()));
            };
            // Missing values stay last in both directions.
            return descending ? (a, b) -> {
                boolean aMissing = sortValue(at(a, path)).isMissingNode();
                boolean bMissing = sortValue(at(b, path)).isMissingNode();
                return aMissing || bMissing ? Boolean.compare(aMissing, bMissing) : ascending.compare(b, a);
            } : ascending;
        }

        /** A relationship sorts by the ID of its (first) resource, an array by its size. */
        private static JsonNode sortValue(JsonNode value) {
            if (value.isObject() && value.has("data")) {
                JsonNode data = value.get("data");
                return (data.isArray() ? data.path(0) : data).path("id");
            }
            if (value.isArray()) {
                return JSON.getNodeFactory().numberNode(value.size());
            }
            return value.isNull() || value.isObject() ? MissingNode.getInstance() : value;
        }
    }

    private FieldValues() {
    }

    /** The field at {@code path}: {@code id}, an attribute path, or a relationship. */
    static JsonNode at(ObjectNode resource, List<String> path) {
        if (path.equals(List.of("id"))) {
            return resource.path("id");
        }
        if (resource.path("relationships").has(path.get(0))) {
            return resource.path("relationships").path(path.get(0));
        }
        JsonNode node = resource.path("attributes");
        for (String segment : path) {
            node = node.path(segment);
        }
        return node;
    }

    /**
     * The order of two scalar values, when they can be compared: numbers (or a number and a numeric text) by
     * value, two IMF-fixdates by time, two booleans, or any two as text; null only equals null.
     */
    static Optional<Integer> compare(JsonNode value, JsonNode operand) {
        if (value.isNull() || operand.isNull()) {
            return value.isNull() && operand.isNull() ? Optional.of(0) : Optional.empty();
        }
        Optional<Double> x = number(value);
        Optional<Double> y = number(operand);
        if (x.isPresent() && y.isPresent() && (value.isNumber() || operand.isNumber())) {
            return Optional.of(Double.compare(x.get(), y.get()));
        }
        Optional<Instant> a = date(value);
        Optional<Instant> b = date(operand);
        if (a.isPresent() && b.isPresent()) {
            return Optional.of(a.get().compareTo(b.get()));
        }
        return Optional.of(Integer.signum(text(value).compareTo(text(operand))));
    }

    /** A boolean or number as JSON writes it, text as it is: what plain equality always compared. */
    private static String text(JsonNode node) {
        return node.isTextual() ? node.textValue() : node.toString();
    }

    private static Optional<Double> number(JsonNode node) {
        if (node.isNumber()) {
            return Optional.of(node.doubleValue());
        }
        if (node.isTextual()) {
            try {
                return Optional.of(Double.parseDouble(node.textValue()));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    private static Optional<Instant> date(JsonNode node) {
        if (!node.isTextual() || node.textValue().length() < 20) {
            return Optional.empty();
        }
        try {
            return Optional.of(ZonedDateTime.parse(node.textValue(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
