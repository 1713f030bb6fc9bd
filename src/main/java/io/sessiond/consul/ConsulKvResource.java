package io.sessiond.consul;

import io.sessiond.RejectedException;
import io.sessiond.acl.Access;
import io.sessiond.acl.Authorizer;
import io.sessiond.acl.Caller;
import io.sessiond.acl.Requires;
import io.sessiond.acl.ResourceKind;
import io.sessiond.acl.Subject;
import io.sessiond.index.Table;
import io.sessiond.kv.KvEntry;
import io.sessiond.kv.KvService;
import io.sessiond.session.SessionActivity;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Consul's {@code /v1/kv/<key>}: reads (blocking), writes, CAS and session locks. Keys may contain {@code /}
 * and {@code ;}; the key is read from the raw path ({@link ConsulPath}), where a trailing {@code /} is part
 * of a key or prefix ({@code web/?keys} lists under {@code web/}).
 */
@Tag(name = "Consul")
@ConsulApi
@Path("/v1/kv")
@Produces(MediaType.APPLICATION_JSON)
public class ConsulKvResource {

    /** Consul's kv_max_value_size. */
    static final int MAX_VALUE_SIZE = 512 * 1024;

    private final KvService kv;
    private final BlockingQuery blockingQuery;
    private final SessionActivity activity;
    private final Caller caller;

    public ConsulKvResource(KvService kv, BlockingQuery blockingQuery, SessionActivity activity, Caller caller) {
        this.kv = kv;
        this.blockingQuery = blockingQuery;
        this.activity = activity;
        this.caller = caller;
    }

    @GET
    @Path("{key: .*}")
    @Blocking
    @Requires(kind = ResourceKind.KEY, access = Access.READ, name = Subject.KV_KEY, filteredWith = {"keys", "recurse"})
    public Uni<Response> get(@Context UriInfo uri, HttpServerRequest request) {
        String key = ConsulPath.kvKey(request);
        MultivaluedMap<String, String> query = uri.getQueryParameters();
        if (query.containsKey("keys")) {
            String separator = Optional.ofNullable(query.getFirst("separator")).orElse(query.getFirst("seperator"));
            Authorizer authorizer = caller.authorizer();
            return blockingQuery.answer(uri, Table.KVS, () -> indexed(kv.keysWithIndex(key, separator)),
                    found -> {
                        Authorizer.Filtered<String> keys = authorizer.filter(found.value(), ResourceKind.KEY, k -> k);
                        return listing(keys.items().isEmpty() && !key.isEmpty(), keys.items(), keys.removedAny(), found.index(), uri);
                    });
        }
        if (query.containsKey("recurse")) {
            Authorizer authorizer = caller.authorizer();
            return blockingQuery.answer(uri, Table.KVS, () -> indexed(kv.listWithIndex(key)),
                    found -> {
                        Authorizer.Filtered<KvEntry> entries = authorizer.filter(found.value(), ResourceKind.KEY, entry -> entry.key);
                        return listing(entries.items().isEmpty(), ConsulKvEntry.of(entries.items()), entries.removedAny(),
                                found.index(), uri);
                    });
        }
        if (key.isEmpty()) {
            throw RejectedException.invalid("Missing key name");
        }
        boolean raw = query.containsKey("raw");
        return blockingQuery.answer(uri, Table.KVS, () -> indexed(kv.getWithIndex(key)),
                found -> found.value()
                        .map(entry -> new BlockingQuery.Result(withLockDelay(raw ? rawValue(entry, uri)
                                : ConsulResponses.read(List.of(ConsulKvEntry.of(entry)), entry.modifyIndex, uri), entry),
                                entry.modifyIndex, found.index()))
                        .orElseGet(() -> new BlockingQuery.Result(ConsulResponses.readNotFound(found.index(), uri),
                                found.index(), found.index())));
    }

    private static <T> BlockingQuery.Indexed<T> indexed(KvService.Snapshot<T> snapshot) {
        return new BlockingQuery.Indexed<>(snapshot.index(), snapshot.result());
    }

    /**
     * sessiond's extension header on a key's read: while its lock-delay runs (after its holder ended), until
     * when no session may acquire it, as an IMF-fixdate. Consul shows this nowhere; clients ignore the header.
     */
    static final String LOCK_DELAY_HEADER = "X-Sessiond-Lock-Delay-Until";

    private static Response withLockDelay(Response response, KvEntry entry) {
        if (entry.lockDelayUntil == null) {
            return response;
        }
        return Response.fromResponse(response).header(LOCK_DELAY_HEADER,
                DateTimeFormatter.RFC_1123_DATE_TIME.format(entry.lockDelayUntil.atOffset(ZoneOffset.UTC))).build();
    }

    /** Any Content-Type is accepted: the body is the value's bytes. */
    @PUT
    @Path("{key: .*}")
    @Requires(kind = ResourceKind.KEY, access = Access.WRITE, name = Subject.KV_KEY)
    public boolean put(byte[] body, @Context UriInfo uri, HttpServerRequest request) {
        String key = ConsulPath.kvKey(request);
        MultivaluedMap<String, String> query = uri.getQueryParameters();
        if (key.isEmpty()) {
            throw RejectedException.invalid("Missing key name");
        }
        requireAtMostOne(query, "cas", "acquire", "release");
        if (body.length > MAX_VALUE_SIZE) {
            throw new ValueTooLargeException(body.length, MAX_VALUE_SIZE);
        }
        long flags = query.containsKey("flags") ? GoUint.parse(query.getFirst("flags")) : 0;
        if (query.containsKey("cas")) {
            return kv.cas(key, body, flags, GoUint.parse(query.getFirst("cas")));
        }
        if (query.containsKey("acquire")) {
            String session = Optional.ofNullable(query.getFirst("acquire")).orElse("");
            boolean acquired = kv.acquire(key, body, flags, session);
            activity.record(session, ConsulClients.of(request), SessionActivity.Access.WRITE);
            return acquired;
        }
        if (query.containsKey("release")) {
            String session = Optional.ofNullable(query.getFirst("release")).orElse("");
            boolean released = kv.release(key, body, flags, session);
            activity.record(session, ConsulClients.of(request), SessionActivity.Access.WRITE);
            return released;
        }
        return kv.put(key, body, flags);
    }

    @DELETE
    @Path("{key: .*}")
    @Requires(kind = ResourceKind.KEY, access = Access.WRITE, name = Subject.KV_KEY, everythingUnderWith = "recurse")
    public boolean delete(@Context UriInfo uri, HttpServerRequest request) {
        String key = ConsulPath.kvKey(request);
        MultivaluedMap<String, String> query = uri.getQueryParameters();
        requireAtMostOne(query, "recurse", "cas");
        if (query.containsKey("recurse")) {
            return kv.deleteTree(key);
        }
        if (key.isEmpty()) {
            throw RejectedException.invalid("Missing key name");
        }
        if (query.containsKey("cas")) {
            return kv.deleteCas(key, GoUint.parse(query.getFirst("cas")));
        }
        return kv.delete(key);
    }

    /** A listing that found nothing under a prefix (or nothing the token may read) is Consul's 404 with the read headers. */
    private static BlockingQuery.Result listing(boolean notFound, Object body, boolean filtered, long index, UriInfo uri) {
        Response response = notFound ? ConsulResponses.readNotFound(index, uri, filtered)
                : ConsulResponses.read(body, index, uri, filtered);
        return new BlockingQuery.Result(response, index, index);
    }

    private static Response rawValue(KvEntry entry, UriInfo uri) {
        byte[] value = entry.value == null ? new byte[0] : entry.value;
        return Response.fromResponse(ConsulResponses.read(value, entry.modifyIndex, uri))
                .type(MediaType.TEXT_PLAIN_TYPE)
                .header("X-Content-Type-Options", "nosniff")
                .header("Content-Security-Policy", "sandbox")
                .build();
    }

    /** Consul refuses a write that names more than one mode, quoting the whole query as Go encodes it. */
    private static void requireAtMostOne(MultivaluedMap<String, String> query, String... modes) {
        if (Stream.of(modes).filter(query::containsKey).count() > 1) {
            throw RejectedException.invalid("Conflicting flags: " + goEncode(query));
        }
    }

    /** Go's {@code url.Values.Encode}: keys sorted, each value query-escaped. */
    private static String goEncode(MultivaluedMap<String, String> query) {
        return new TreeMap<>(query).entrySet().stream()
                .flatMap(param -> param.getValue().stream().map(value -> goEscape(param.getKey()) + "=" + goEscape(value)))
                .collect(Collectors.joining("&"));
    }

    private static String goEscape(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("*", "%2A").replace("%7E", "~");
    }
}
