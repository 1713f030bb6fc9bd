package io.sessiond.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.IntPredicate;

/** The HTTP calls of the client: one shared {@link HttpClient}, JSON by Jackson, errors as {@link SessiondException}. */
final class Http {

    /** A completed exchange: status, {@code X-Consul-Index} (0 when absent) and body. */
    record Answer(int status, long index, String body) {
    }

    private final HttpClient client;
    private final URI base;
    private final Duration requestTimeout;
    private final String token;
    private final ObjectMapper json = new ObjectMapper();

    Http(URI base, Duration connectTimeout, Duration requestTimeout, String token, SSLContext sslContext) {
        // HTTP/1.1, as Consul's own clients speak it: each blocking read has a connection of its own. Over HTTP/2
        // (the JDK's default, by an h2c upgrade) every request shares one connection, and cancelling a blocking
        // read could take the connection, with the requests in flight on it, down too.
        HttpClient.Builder builder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout);
        if (sslContext != null) {
            builder.sslContext(sslContext);
        }
        this.client = builder.build();
        this.base = base;
        this.requestTimeout = requestTimeout;
        this.token = token;
    }

    /** Sends a request; a status other than 2xx (and 404 when {@code notFoundIsAnswer}) fails the future. */
    CompletableFuture<Answer> send(String method, String pathAndQuery, String body, Duration extraWait,
                                   boolean notFoundIsAnswer) {
        return send(method, pathAndQuery, body, extraWait,
                status -> (status >= 200 && status <= 299) || (status == 404 && notFoundIsAnswer));
    }

    /** Sends a request; a status {@code isAnswer} refuses fails the future, as does getting no answer at all. */
    CompletableFuture<Answer> send(String method, String pathAndQuery, String body, Duration extraWait,
                                   IntPredicate isAnswer) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(pathAndQuery))
                .timeout(requestTimeout.plus(extraWait))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (token != null) {
            request.header("X-Consul-Token", token);
        }
        return client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
                .handle((response, failure) -> {
                    if (failure != null) {
                        Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
                        throw new SessiondException(0, method + " " + pathAndQuery + " failed: " + cause, cause);
                    }
                    int status = response.statusCode();
                    if (!isAnswer.test(status)) {
                        throw new SessiondException(status, method + " " + pathAndQuery + " answered " + status + ": "
                                + response.body(), null);
                    }
                    long index = response.headers().firstValue("X-Consul-Index").map(Long::parseUnsignedLong).orElse(0L);
                    return new Answer(status, index, response.body());
                });
    }

    CompletableFuture<Answer> send(String method, String pathAndQuery, String body) {
        return send(method, pathAndQuery, body, Duration.ZERO, false);
    }

    JsonNode parse(String body) {
        try {
            return json.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException("sessiond answered with malformed JSON: " + body, e);
        }
    }

    String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits for {@code future}, rethrowing what it failed with as it was thrown. */
    static <T> T await(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw e;
        }
    }
}
