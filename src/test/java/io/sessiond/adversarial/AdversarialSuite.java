package io.sessiond.adversarial;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.RestAssured;
import io.sessiond.adversarial.RawHttp.Answer;
import io.sessiond.adversarial.Routes.Dialect;
import io.sessiond.adversarial.Routes.Route;
import net.jqwik.api.sessions.JqwikSession;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The adversarial suite: thousands of generated requests, valid and hostile, over every route the resource
 * classes declare ({@link Routes}), each mutated in one way ({@link Mutation}). It asserts, for every answer:
 * <ul>
 *   <li>no 5xx (503 included: the database is up), and an answer at all;</li>
 *   <li>a 4xx has a non-empty body in its dialect's format: Consul routes plain text, the admin API and the
 *       web-session API {@code {"errors":[{"status":..., "detail":...}]}};</li>
 *   <li>a request answered with a 4xx changed no table (a digest of every table before and after it);</li>
 *   <li>Consul routes do no content negotiation (no 406 or 415), and ambiguous framing is refused.</li>
 * </ul>
 * Requests are drawn from jqwik arbitraries with a seeded {@link Random}: the seed is printed, and
 * {@code -Dadversarial.seed=N} replays a run's sequence of requests ({@code -Dadversarial.requests=N} sets
 * how many). A request whose head is malformed at the HTTP level (control bytes or raw non-ASCII in the
 * request line or headers, a {@code %} that starts no escape, oversized headers, ambiguous framing) may be
 * refused by the HTTP server before any route is matched: a 400, 414 or 431 to such a request is not held to
 * a dialect's body format (the issue leaves those answers to the documentation).
 */
abstract class AdversarialSuite {

    private static final long DEFAULT_SEED = 20_221_207L;
    private static final ObjectMapper JSON = new ObjectMapper();
    /** No request of the suite blocks (every blocking read has a short wait): an answer takes far less. */
    private static final int TIMEOUT_MILLIS = 10_000;
    private static final int FRAMING_TIMEOUT_MILLIS = 3_000;
    private static final String NO_SESSION = "00000000-0000-0000-0000-000000000000";

    private final Map<String, Integer> perRoute = new TreeMap<>();
    private final Map<Mutation, Integer> perMutation = new TreeMap<>();
    private final Map<Integer, Integer> statuses = new TreeMap<>();
    private final Map<String, Failure> failures = new LinkedHashMap<>();
    private int refusedAndUnchanged;
    private int notConfirmed;
    private int serverLevelRefusals;
    private long sendNanos;
    private long digestNanos;
    private long flushNanos;
    private int fullDigests;

    /** One kind of failure: what was wrong, the first request that showed it, and how often it happened. */
    private static final class Failure {
        final String example;
        final java.util.Set<String> routes = new java.util.TreeSet<>();
        int count;

        Failure(String example) {
            this.example = example;
        }
    }

    /** How many requests this class sends. */
    abstract int requests();

    /** Whether the application runs with ACLs on (default policy deny). */
    abstract boolean aclEnabled();

    /** The management token's secret, when ACLs are on. */
    String managementToken() {
        return null;
    }

    @Test
    void noRequestGetsA5xxAMalformedErrorOrChangesStateWhenRefused() throws Exception {
        long seed = Long.getLong("adversarial.seed", DEFAULT_SEED);
        int count = Integer.getInteger("adversarial.requests", requests());
        List<Route> routes = Routes.discover();
        Map<String, Dialect> prefixes = Routes.prefixes(routes);
        String url = System.getProperty("quarkus.datasource.jdbc.url", System.getenv("QUARKUS_DATASOURCE_JDBC_URL"));
        if (url == null) {
            fail("No quarkus.datasource.jdbc.url: the test resource passes the test database's URL");
        }
        String user = System.getProperty("quarkus.datasource.username", "postgres");
        String password = System.getProperty("quarkus.datasource.password", "postgres");
        System.out.printf("Adversarial suite (%s): %d requests over %d routes, seed %d (rerun with -Dadversarial.seed=%d)%n",
                getClass().getSimpleName(), count, routes.size(), seed, seed);
        long started = System.nanoTime();
        FuzzState state = new FuzzState("sessiond-test");
        state.managementToken = managementToken();
        JqwikSession.start();
        try (RawHttp http = new RawHttp("localhost", RestAssured.port, TIMEOUT_MILLIS);
             TableDigest digest = new TableDigest(url, user, password)) {
            Setup setup = new Setup(http, state);
            setup.run(0);
            RequestGenerator generator = new RequestGenerator(state, aclEnabled());
            Random random = new Random(seed);
            flushActivity(http, state);
            Map<String, String> before = digest.take();
            long beforeXid = digest.nextTransactionId();
            for (int i = 0; i < count; i++) {
                if (i > 0 && i % 2500 == 0) {
                    // Fresh state to attack: the generated requests delete some of it.
                    setup.run(i);
                    flushActivity(http, state);
                }
                long checked = System.nanoTime();
                long xid = digest.nextTransactionId();
                if (xid != beforeXid) {
                    // Something was written since the last digest (an accepted request, a background job).
                    before = digest.take();
                    fullDigests++;
                    beforeXid = digest.nextTransactionId();
                }
                Route route = routes.get(i % routes.size());
                FuzzRequest request = generator.next(route, random);
                long sent = System.nanoTime();
                digestNanos += sent - checked;
                Answer answer = send(http, request);
                long answered = System.nanoTime();
                sendNanos += answered - sent;
                record(request, answer);
                check(request, answer, prefixes, seed, i);
                if (namesASession(request, state)) {
                    flushActivity(http, state);
                }
                if (answer.status() >= 400 && answer.status() < 500) {
                    if (digest.nextTransactionId() == beforeXid) {
                        refusedAndUnchanged++;
                    } else {
                        Map<String, String> after = digest.take();
                        List<String> changed = TableDigest.changed(before, after);
                        if (changed.isEmpty()) {
                            refusedAndUnchanged++;
                        } else {
                            confirmChange(http, digest, state, request, answer, after, changed, seed, i);
                        }
                    }
                }
                digestNanos += System.nanoTime() - answered;
            }
        } finally {
            JqwikSession.finish();
        }
        printSummary(count, routes, seed, (System.nanoTime() - started) / 1_000_000);
        if (!failures.isEmpty()) {
            StringBuilder report = new StringBuilder();
            report.append(failures.size()).append(" kinds of failure (seed ").append(seed)
                    .append("; rerun with -Dadversarial.seed=").append(seed).append("):\n");
            failures.forEach((kind, failure) -> report.append("\n[").append(failure.count).append("x] ").append(kind)
                    .append("\n  on ").append(failure.routes).append("\n  e.g. ").append(failure.example).append('\n'));
            fail(report.toString());
        }
    }

    private static Answer send(RawHttp http, FuzzRequest request) {
        String head = RawHttp.head(request.method(), request.target(), request.headers());
        // A server that reads an ambiguously framed body differently from how it was sent waits for bytes that
        // never come: a small request of this kind is answered at once or not at all.
        return http.send(request.method(), head, request.body(), request.contentLength(), request.ownConnection(),
                request.mutation() == Mutation.FRAMING ? FRAMING_TIMEOUT_MILLIS : TIMEOUT_MILLIS);
    }

    /**
     * The admin API's session reads write the activity counted so far ({@code SessionActivity}) before they
     * read: activity a request caused is then in the tables when they are digested after it, instead of
     * landing with its periodic flush in the digest of a later request.
     */
    private void flushActivity(RawHttp http, FuzzState state) {
        long start = System.nanoTime();
        // A session that does not exist: the read flushes, then answers a cheap 404.
        StringBuilder head = new StringBuilder("GET /v1/sessions/" + NO_SESSION + " HTTP/1.1");
        if (state.managementToken != null) {
            head.append("\r\nX-Consul-Token: ").append(state.managementToken);
        }
        Answer answer = http.send("GET", head.toString(), null, false, false);
        if (answer.status() != 404) {
            fail("The activity flush (GET /v1/sessions/" + NO_SESSION + ") answered " + answer.status() + ": " + answer.text());
        }
        flushNanos += System.nanoTime() - start;
    }

    /**
     * Whether the request names a session that exists: only such a request can have counted activity
     * ({@code SessionActivity} drops what it counted for sessions that do not exist), so only after such
     * a request is the flush needed.
     */
    private static boolean namesASession(FuzzRequest request, FuzzState state) {
        String text = (request.target() + " " + (request.body() == null || request.body().length > 100_000 ? ""
                : new String(request.body(), StandardCharsets.ISO_8859_1))).toLowerCase(Locale.ROOT);
        return request.route().template().contains("/session/create")
                || state.sessions.stream().anyMatch(id -> text.contains(id.toLowerCase(Locale.ROOT)));
    }

    /**
     * A refused request after which the digest changed: replayed once; only a change that happens again is
     * the request's (a background job may have written between the two digests the first time).
     */
    private Map<String, String> confirmChange(RawHttp http, TableDigest digest, FuzzState state, FuzzRequest request,
                                              Answer answer, Map<String, String> after, List<String> changed, long seed,
                                              int index) {
        Answer replayed = send(http, request);
        flushActivity(http, state);
        Map<String, String> again = digest.take();
        List<String> changedAgain = TableDigest.changed(after, again);
        if (replayed.status() >= 400 && replayed.status() < 500 && !changedAgain.isEmpty()) {
            failure(request, answer, "a refused request (" + answer.status() + ") changed tables " + changedAgain,
                    "changed " + changedAgain, seed, index);
        } else {
            notConfirmed++;
        }
        return again;
    }

    private void record(FuzzRequest request, Answer answer) {
        perRoute.merge(request.route().toString(), 1, Integer::sum);
        perMutation.merge(request.mutation(), 1, Integer::sum);
        statuses.merge(answer.status(), 1, Integer::sum);
    }

    private void check(FuzzRequest request, Answer answer, Map<String, Dialect> prefixes, long seed, int index) {
        int status = answer.status();
        if (status == 0) {
            if (request.mutation() == Mutation.HUGE_BODY && answer.problem().startsWith("the server closed the connection")) {
                // Refusing an oversized body by closing the connection before it is all sent is the server's
                // right; there may be no answer left to read.
                serverLevelRefusals++;
                return;
            }
            failure(request, answer, "no answer: " + answer.problem(), "no answer", seed, index);
            return;
        }
        if (status >= 500) {
            failure(request, answer, status + " answer", String.valueOf(status), seed, index);
            return;
        }
        Dialect dialect = dialectOf(request.target(), prefixes);
        if (request.mutation() == Mutation.FRAMING && status < 400) {
            failure(request, answer, "ambiguous framing accepted with " + status, String.valueOf(status), seed, index);
        }
        if (dialect == Dialect.CONSUL && (status == 406 || status == 415)) {
            failure(request, answer, "content negotiation on a Consul route: " + status, String.valueOf(status), seed, index);
            return;
        }
        if (status < 400) {
            return;
        }
        if (request.malformedHead() && (status == 400 || status == 414 || status == 431)) {
            serverLevelRefusals++;
            return;
        }
        if (request.method().equals("HEAD")) {
            return;
        }
        if (dialect == Dialect.CONSUL && status == 404 && answer.header("x-consul-index") != null && answer.body().length == 0) {
            // Consul's answer to a read that found nothing (a missing key): a read's headers and no body, not an error.
            return;
        }
        String problem = errorFormatProblem(dialect, status, answer);
        if (problem != null) {
            failure(request, answer, problem, status + " " + (dialect == null ? "unrouted" : dialect), seed, index);
        }
    }

    /** What is wrong with a 4xx answer's body for the dialect, or null. */
    static String errorFormatProblem(Dialect dialect, int status, Answer answer) {
        String body = answer.text();
        if (body.isBlank()) {
            return "empty error body (" + (dialect == null ? "unrouted path" : dialect) + ")";
        }
        if (dialect == null) {
            // A path under no dialect's prefix: no dialect's format applies; a message is all that is asked.
            return null;
        }
        String contentType = answer.header("content-type");
        if (dialect == Dialect.CONSUL) {
            if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("text/plain")) {
                return "Consul error not text/plain (Content-Type " + contentType + ")";
            }
            if (body.stripLeading().startsWith("{")) {
                return "Consul error body is JSON";
            }
            return null;
        }
        JsonNode document;
        try {
            document = JSON.readTree(body);
        } catch (Exception e) {
            return dialect + " error body is not JSON";
        }
        JsonNode errors = document == null ? null : document.get("errors");
        if (errors == null || !errors.isArray() || errors.isEmpty()) {
            return dialect + " error body has no \"errors\" array";
        }
        for (JsonNode error : errors) {
            if (!error.path("status").asText("").equals(Integer.toString(status))) {
                return dialect + " error's \"status\" is not \"" + status + "\"";
            }
            if (error.path("detail").asText("").isBlank()) {
                return dialect + " error has no \"detail\"";
            }
        }
        return null;
    }

    /**
     * The dialect that answers a request target: its path with {@code .} and {@code ..} segments resolved
     * (as the server does), under a dialect's prefix ({@code /v1/kv}, {@code /v1/sessions}, ...); null for
     * a path under none.
     */
    static Dialect dialectOf(String target, Map<String, Dialect> prefixes) {
        int query = target.indexOf('?');
        String path = (query < 0 ? target : target.substring(0, query)).replace("%2e", ".").replace("%2E", ".");
        List<String> segments = new ArrayList<>();
        for (String segment : path.split("/", -1)) {
            if (segment.equals("..")) {
                if (!segments.isEmpty()) {
                    segments.remove(segments.size() - 1);
                }
            } else if (!segment.equals(".") && !segment.isEmpty()) {
                segments.add(segment);
            }
        }
        String normalized = "/" + String.join("/", segments);
        for (Map.Entry<String, Dialect> prefix : prefixes.entrySet()) {
            if (normalized.equals(prefix.getKey()) || normalized.startsWith(prefix.getKey() + "/")) {
                return prefix.getValue();
            }
        }
        return null;
    }

    /**
     * Failures are grouped by mutation, status and what was wrong (numbers and table lists left out), with
     * the routes each group was seen on and its first request as the example.
     */
    private void failure(FuzzRequest request, Answer answer, String problem, String statusKey, long seed, int index) {
        String key = request.mutation() + " | " + statusKey + " | "
                + problem.replaceAll("\\d{3,}", "N").replaceAll("\\[.*]", "[...]");
        Failure failure = failures.computeIfAbsent(key, k -> new Failure("request #" + index + " (" + request.detail()
                + ") on " + request.route() + ":\n    " + request.describe() + "\n  answer: " + answer.status() + " "
                + FuzzRequest.printable(new String(answer.body(), StandardCharsets.ISO_8859_1), 300)
                + (answer.problem() == null ? "" : " (" + answer.problem() + ")") + "\n  problem: " + problem));
        failure.count++;
        failure.routes.add(request.route().toString());
    }

    private void printSummary(int count, List<Route> routes, long seed, long millis) {
        StringBuilder summary = new StringBuilder();
        summary.append(String.format("%n== Adversarial suite summary (%s): %d requests in %.1f s, seed %d%n",
                getClass().getSimpleName(), count, millis / 1000.0, seed));
        summary.append("Requests per route:\n");
        routes.forEach(route -> summary.append(String.format("  %6d  %s%n", perRoute.getOrDefault(route.toString(), 0), route)));
        summary.append("Requests per mutation:\n");
        perMutation.forEach((mutation, n) -> summary.append(String.format("  %6d  %s%n", n, mutation)));
        summary.append("Statuses: ").append(statuses.entrySet().stream()
                .map(entry -> (entry.getKey() == 0 ? "no answer" : entry.getKey()) + "=" + entry.getValue())
                .collect(Collectors.joining(", "))).append('\n');
        summary.append(String.format("Refused with tables unchanged: %d; digest changes not reproduced on replay "
                + "(background jobs): %d; refused by the HTTP server before routing: %d%n", refusedAndUnchanged,
                notConfirmed, serverLevelRefusals));
        summary.append(String.format("Time sending requests: %.1f s; flushing activity %.1f s and digesting (%d full digests) %.1f s%n",
                sendNanos / 1e9, flushNanos / 1e9, fullDigests, (digestNanos - flushNanos) / 1e9));
        summary.append("Kinds of failure: ").append(failures.size()).append('\n');
        failures.forEach((kind, failure) -> summary.append(String.format("  %5dx %s (%d routes)%n", failure.count, kind,
                failure.routes.size())));
        System.out.println(summary);
    }
}
