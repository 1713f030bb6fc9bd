package io.sessiond.consul;

import io.sessiond.RejectedException;
import io.sessiond.acl.AccessControl;
import io.sessiond.acl.Authorizer;
import io.sessiond.acl.Caller;
import io.sessiond.acl.CheckedByResource;
import io.sessiond.acl.CheckedByResource.Why;
import io.sessiond.acl.SessionAccess;
import io.sessiond.index.Table;
import io.sessiond.session.Session;
import io.sessiond.session.SessionActivity;
import io.sessiond.session.SessionClient;
import io.sessiond.session.SessionReads;
import io.sessiond.session.SessionWrites;
import io.sessiond.session.SessionSpec;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** Consul's {@code /v1/session} endpoints: HTTP in, one {@link SessionWrites} or {@link SessionReads} call, Consul's JSON out. */
@ConsulApi
@Path("/v1/session")
@Produces(MediaType.APPLICATION_JSON)
public class ConsulSessionResource {

    private final SessionWrites writes;
    private final SessionReads reads;
    private final SessionRequestDecoder decoder;
    private final BlockingQuery blockingQuery;
    private final SessionActivity activity;
    private final Caller caller;
    private final AccessControl accessControl;
    private final SessionAccess access;

    public ConsulSessionResource(SessionWrites writes, SessionReads reads, SessionRequestDecoder decoder, BlockingQuery blockingQuery,
                                 SessionActivity activity, Caller caller, AccessControl accessControl,
                                 SessionAccess access) {
        this.writes = writes;
        this.reads = reads;
        this.decoder = decoder;
        this.blockingQuery = blockingQuery;
        this.activity = activity;
        this.caller = caller;
        this.accessControl = accessControl;
        this.access = access;
    }

    /*
     * Writes run on the event loop: decode, hand the request to the session write's group commit, and
     * return at once; the answer is sent, on the event loop, when its batch has committed (see
     * SessionWrites). Only with ACLs on does a write first visit a worker thread, because resolving the
     * token and finding the session's node read the database.
     */

    /** Any Content-Type is accepted: clients send JSON as text/plain or with no type at all. */
    @PUT
    @Path("create")
    @CheckedByResource(Why.SESSION_WRITE)
    public CompletionStage<Map<String, String>> create(byte[] body, HttpServerRequest request) {
        SessionClient client = ConsulClients.of(request);
        SessionSpec spec = decoder.decode(body, client);
        return authorized(authorizer -> access.requireCreate(authorizer, spec))
                .thenCompose(allowed -> writes.create(spec))
                .thenApply(session -> {
                    activity.record(session.id, client, SessionActivity.Access.WRITE);
                    return Map.of("ID", session.id.toString());
                });
    }

    @PUT
    @Path("destroy/{id: .*}")
    @CheckedByResource(Why.SESSION_WRITE)
    public CompletionStage<Boolean> destroy(HttpServerRequest request) {
        String sessionId = requireSessionId(ConsulPath.parameter(request, "/v1/session/destroy/", "session"));
        return authorized(authorizer -> access.requireWrite(authorizer, sessionId))
                .thenCompose(allowed -> writes.destroy(sessionId))
                .thenApply(ended -> true);
    }

    @PUT
    @Path("renew/{id: .*}")
    @CheckedByResource(Why.SESSION_WRITE)
    public CompletionStage<List<ConsulSession>> renew(HttpServerRequest request) {
        SessionClient client = ConsulClients.of(request);
        String sessionId = requireSessionId(ConsulPath.parameter(request, "/v1/session/renew/", "session"));
        return authorized(authorizer -> access.requireWrite(authorizer, sessionId))
                .thenCompose(allowed -> writes.renew(sessionId))
                .thenApply(renewed -> {
                    activity.record(renewed.id, client, SessionActivity.Access.WRITE);
                    return List.of(ConsulSession.of(renewed));
                });
    }

    /**
     * Completes once {@code check} passed for the request's token; at once when ACLs are off. With ACLs
     * on, the check runs on a worker thread (it may read the database) and the write goes on from the
     * event loop.
     */
    private CompletionStage<Void> authorized(Consumer<Authorizer> check) {
        if (!accessControl.enabled()) {
            return CompletableFuture.completedFuture(null);
        }
        String token = caller.token();
        return Vertx.currentContext().<Void>executeBlocking(() -> {
            check.accept(accessControl.authorize(token));
            return null;
        }, false).toCompletionStage();
    }

    @GET
    @Path("info/{id: .*}")
    @Blocking
    @CheckedByResource(Why.FILTERED_READ)
    public Uni<Response> info(@Context UriInfo uri, HttpServerRequest request) {
        String sessionId = requireSessionId(ConsulPath.parameter(request, "/v1/session/info/", "session"));
        Authorizer authorizer = caller.authorizer();
        Uni<Response> answer = blockingQuery.answerSingleStatement(uri, Table.SESSIONS,
                () -> reads.findWithIndex(sessionId), found -> visibleSessions(authorizer, found.sessions(), found.index(), uri));
        // Counted once the token and the query passed (both are checked above): a refused read used no session.
        activity.record(sessionId, ConsulClients.of(request), SessionActivity.Access.READ);
        return answer;
    }

    @GET
    @Path("node/{node: .*}")
    @Blocking
    @CheckedByResource(Why.FILTERED_READ)
    public Uni<Response> node(@Context UriInfo uri, HttpServerRequest request) {
        String node = ConsulPath.parameter(request, "/v1/session/node/", "node");
        if (node.isEmpty()) {
            throw RejectedException.invalid("Missing node name");
        }
        return read(uri, () -> reads.listByNode(node));
    }

    @GET
    @Path("list")
    @Blocking
    @CheckedByResource(Why.FILTERED_READ)
    public Uni<Response> list(@Context UriInfo uri) {
        return read(uri, reads::list);
    }

    /**
     * Session reads report, and block on, the index of the whole sessions table, as Consul's do, read with
     * the rows by one statement; they show only the sessions on nodes the token may read sessions of.
     */
    private Uni<Response> read(UriInfo uri, Supplier<SessionReads.Snapshot> query) {
        Authorizer authorizer = caller.authorizer();
        return blockingQuery.answerSingleStatement(uri, Table.SESSIONS, query,
                found -> visibleSessions(authorizer, found.sessions(), found.index(), uri));
    }

    private BlockingQuery.Result visibleSessions(Authorizer authorizer, List<Session> found, long index, UriInfo uri) {
        Authorizer.Filtered<Session> visible = access.readable(authorizer, found);
        return new BlockingQuery.Result(ConsulResponses.read(ConsulSession.of(visible.items()), index, uri,
                visible.removedAny()), index, index);
    }

    private static String requireSessionId(String id) {
        if (id.isEmpty()) {
            throw RejectedException.invalid("Missing session");
        }
        return id;
    }
}
