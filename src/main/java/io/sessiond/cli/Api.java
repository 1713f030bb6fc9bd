package io.sessiond.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sessiond.client.SessiondClient;
import io.sessiond.client.SessiondException;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/** The CLI's requests, through the client SDK: waits that a signal can interrupt, and errors as {@link CliFailure}. */
record Api(SessiondClient client, URI baseUrl) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One request; any status is returned. Getting no answer is a failure; an interrupt ends the wait and is passed on. */
    SessiondClient.Response call(String method, String pathAndQuery, String body, Duration blockingWait)
            throws InterruptedException {
        CompletableFuture<SessiondClient.Response> answer = client.requestAsync(method, pathAndQuery, body, blockingWait);
        try {
            return answer.get();
        } catch (InterruptedException e) {
            // The request is abandoned, not cancelled: cancelling a JDK HttpClient exchange can close the pooled
            // connection the client has just handed to the next request (the release after a lock watch stops),
            // which then fails with no answer. An abandoned request ends on its own connection.
            throw e;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() instanceof SessiondException refused && refused.getCause() != null
                    ? refused.getCause() : e.getCause();
            throw CliFailure.failed("no answer from sessiond at " + baseUrl + " to " + method + " /" + pathAndQuery + ": "
                    + (cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage()));
        }
    }

    SessiondClient.Response call(String method, String pathAndQuery, String body) throws InterruptedException {
        return call(method, pathAndQuery, body, Duration.ZERO);
    }

    /** As {@link #call}, but an answer other than 2xx is a failure naming {@code what} and sessiond's message. */
    SessiondClient.Response require(String what, String method, String pathAndQuery, String body) throws InterruptedException {
        SessiondClient.Response answer = call(method, pathAndQuery, body);
        if (!answer.isSuccess()) {
            throw CliFailure.failed(what + ": " + errorText(answer));
        }
        return answer;
    }

    /** What sessiond said: a Consul API error is plain text, an admin API error a JSON:API errors document. */
    static String errorText(SessiondClient.Response answer) {
        String body = answer.body().strip();
        if (body.startsWith("{")) {
            JsonNode errors = parse(body).path("errors");
            List<String> details = new ArrayList<>();
            errors.forEach(error -> details.add(error.path("detail").asText(error.path("title").asText())));
            if (!details.isEmpty()) {
                return String.join("; ", details);
            }
        }
        return body.isEmpty() ? "HTTP " + answer.status() : body + " (HTTP " + answer.status() + ")";
    }

    static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw CliFailure.failed("sessiond answered with malformed JSON: " + body);
        }
    }

    static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static String pretty(JsonNode value) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static String kvPath(String key) {
        return SessiondClient.kvPath(key);
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** A blocking-query suffix ({@code index=...&wait=...}), or nothing for index 0. */
    static String blocking(long index, Duration wait) {
        return index == 0 ? "" : "index=" + Long.toUnsignedString(index) + "&wait=" + Math.max(1, wait.toMillis()) + "ms";
    }
}
