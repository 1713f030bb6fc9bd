package io.sessiond.client;

import javax.net.ssl.SSLContext;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A client of sessiond's session and lock API, depending only on the JDK and Jackson.
 *
 * <pre>{@code
 * try (SessiondClient client = SessiondClient.builder(URI.create("http://localhost:8500")).build();
 *      ClientSession session = client.createSession(SessionOptions.named("worker")).open()) {
 *     ... // renewed in the background until closed
 * }
 * }</pre>
 */
public final class SessiondClient implements AutoCloseable {

    /** One daemon thread renews every session of every client: renewals only send a request each. */
    private static final ScheduledExecutorService RENEWALS = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "sessiond-client-renewal");
        thread.setDaemon(true);
        return thread;
    });

    private final Http http;
    private final Duration lockRetry;
    private final Duration lockWait;

    private SessiondClient(Builder builder) {
        this.http = new Http(builder.baseUrl, builder.connectTimeout, builder.requestTimeout, builder.token,
                builder.sslContext);
        this.lockRetry = builder.lockRetry;
        this.lockWait = builder.lockWait;
    }

    public static Builder builder(URI baseUrl) {
        return new Builder(baseUrl);
    }

    /** A session to be opened: no request is made until {@link ClientSession#open()}. */
    public ClientSession createSession(SessionOptions options) {
        return new ClientSession(this, Objects.requireNonNull(options), null, ClientSession.State.NEW, false, false);
    }

    /**
     * Attaches to an existing session by ID, without a request and without renewing it: keep it alive with
     * {@link ClientSession#extend()}. Closing it only detaches.
     */
    public ClientSession connectToSession(String id) {
        return new ClientSession(this, null, Objects.requireNonNull(id), ClientSession.State.ATTACHED, false, false);
    }

    /** As {@link #connectToSession(String)}, but closing it destroys the session on the server. */
    public ClientSession connectToSessionAndDestroyOnClose(String id) {
        return new ClientSession(this, null, Objects.requireNonNull(id), ClientSession.State.ATTACHED, false, true);
    }

    /**
     * Renews {@code id} and attaches to it; if the server no longer has it, creates and opens a new session
     * with {@code options} instead, and says so with {@link ClientSession#isNewSession()}.
     */
    public ClientSession attachOrCreate(String id, SessionOptions options) {
        return Http.await(attachOrCreateAsync(id, options));
    }

    public CompletableFuture<ClientSession> attachOrCreateAsync(String id, SessionOptions options) {
        return http.send("PUT", "v1/session/renew/" + id, null, Duration.ZERO, true).thenCompose(answer -> {
            if (answer.status() != 404) {
                return CompletableFuture.completedFuture(connectToSession(id));
            }
            ClientSession created = new ClientSession(this, options, null, ClientSession.State.NEW, true, false);
            return created.openAsync();
        });
    }

    /**
     * Takes the lock on {@code key}, waiting as long as another session holds it: Consul's lock recipe (a
     * session of its own, acquire, blocking-query wait, retry after the previous holder's lock-delay).
     */
    public LockHandle lock(String key) {
        return lock(key, SessionOptions.named("sessiond lock on " + key));
    }

    public LockHandle lock(String key, SessionOptions options) {
        ClientSession session = createSession(options).open();
        try {
            long index = acquire(key, session);
            return new LockHandle(this, key, session, index);
        } catch (RuntimeException | InterruptedException e) {
            session.close();
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for the lock on " + key, e);
            }
            throw (RuntimeException) e;
        }
    }

    public CompletableFuture<LockHandle> lockAsync(String key, SessionOptions options) {
        return CompletableFuture.supplyAsync(() -> lock(key, options));
    }

    /**
     * One request to any endpoint of sessiond, for tools built on this client (the {@code sessiond} CLI):
     * every HTTP status is an answer; only getting none fails, with a {@link SessiondException} of status 0.
     * {@code blockingWait} is how much longer than the request timeout a blocking query may take.
     */
    public CompletableFuture<Response> requestAsync(String method, String pathAndQuery, String body, Duration blockingWait) {
        return http.send(method, pathAndQuery, body, blockingWait, status -> true)
                .thenApply(answer -> new Response(answer.status(), answer.index(), answer.body()));
    }

    /** An answer of {@link #requestAsync}: its status, its {@code X-Consul-Index} (0 when absent) and its body. */
    public record Response(int status, long index, String body) {
        public boolean isSuccess() {
            return status >= 200 && status <= 299;
        }
    }

    /** Closing the client stops nothing that is shared; open sessions stay open until closed themselves. */
    @Override
    public void close() {
        // The JDK 17 HttpClient has no close; its threads end when unused.
    }

    /** Go api.Lock's loop; returns the index at which the key was acquired. */
    private long acquire(String key, ClientSession session) throws InterruptedException {
        long index = 0;
        while (true) {
            session.requireUsable();
            Http.Answer read = Http.await(readKey(key, index));
            String holder = holder(read);
            if (holder != null && !holder.equals(session.id())) {
                index = read.index();
                continue;
            }
            Http.Answer acquired = Http.await(http.send("PUT", kvPath(key) + "?acquire=" + session.id()
                    + "&flags=" + LockHandle.LOCK_FLAG, ""));
            if (Boolean.parseBoolean(acquired.body().trim())) {
                return Http.await(readKey(key, 0)).index();
            }
            // Refused with the key free: the previous holder's lock-delay runs; only a pause helps.
            index = 0;
            if (holder(Http.await(readKey(key, 0))) == null) {
                Thread.sleep(lockRetry.toMillis());
            }
        }
    }

    /** A read of {@code key}, blocking until it changes past {@code index} when that is not 0. */
    CompletableFuture<Http.Answer> readKey(String key, long index) {
        String query = index == 0 ? "" : "?index=" + Long.toUnsignedString(index) + "&wait=" + lockWait.toMillis() + "ms";
        return http.send("GET", kvPath(key) + query, null, index == 0 ? Duration.ZERO : lockWait.multipliedBy(2), true);
    }

    /** The session holding the key in a read's answer; null when the key is missing or free. */
    String holder(Http.Answer read) {
        if (read.status() == 404) {
            return null;
        }
        String session = http.parse(read.body()).path(0).path("Session").asText("");
        return session.isEmpty() ? null : session;
    }

    /** The Consul KV API path of {@code key}, each segment URL-encoded: {@code v1/kv/...}, relative to the base URL. */
    public static String kvPath(String key) {
        return "v1/kv/" + Stream.of(key.split("/", -1))
                .map(segment -> URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20"))
                .collect(Collectors.joining("/"));
    }

    Http http() {
        return http;
    }

    ScheduledExecutorService scheduler() {
        return RENEWALS;
    }

    /** Where sessiond is and how patient to be with it. */
    public static final class Builder {
        private final URI baseUrl;
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration requestTimeout = Duration.ofSeconds(10);
        private String token;
        private SSLContext sslContext;
        private Duration lockRetry = Duration.ofSeconds(5);
        private Duration lockWait = Duration.ofSeconds(30);

        private Builder(URI baseUrl) {
            String text = baseUrl.toString();
            this.baseUrl = URI.create(text.endsWith("/") ? text : text + "/");
        }

        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = timeout;
            return this;
        }

        /** How long one request may take (blocking reads get their wait on top). */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = timeout;
            return this;
        }

        /** An ACL token, sent as {@code X-Consul-Token}. */
        public Builder token(String token) {
            this.token = token;
            return this;
        }

        /** The TLS set-up for an {@code https} base URL: trusted CAs, and a client certificate if the server asks for one. */
        public Builder sslContext(SSLContext sslContext) {
            this.sslContext = sslContext;
            return this;
        }

        /** Pause before retrying an acquire refused by a lock-delay (Consul's default is 5 s). */
        public Builder lockRetry(Duration pause) {
            this.lockRetry = pause;
            return this;
        }

        /** How long one blocking read waits for a held lock to change. */
        public Builder lockWait(Duration wait) {
            this.lockWait = wait;
            return this;
        }

        public SessiondClient build() {
            return new SessiondClient(this);
        }
    }
}
