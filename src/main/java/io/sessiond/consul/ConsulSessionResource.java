package io.sessiond.consul;

import io.sessiond.RejectedException;
import io.sessiond.index.Table;
import io.sessiond.session.Session;
import io.sessiond.session.SessionService;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/** Consul's {@code /v1/session} endpoints: HTTP in, {@link SessionService} call, Consul's JSON out. */
@ConsulApi
@Path("/v1/session")
@Produces(MediaType.APPLICATION_JSON)
public class ConsulSessionResource {

    private final SessionService sessions;
    private final SessionRequestDecoder decoder;
    private final BlockingQuery blockingQuery;

    public ConsulSessionResource(SessionService sessions, SessionRequestDecoder decoder, BlockingQuery blockingQuery) {
        this.sessions = sessions;
        this.decoder = decoder;
        this.blockingQuery = blockingQuery;
    }

    /*
     * Writes run on the event loop and wait for nothing: they hand the request to the session write's
     * group commit and answer when its batch has committed (see SessionService).
     */

    /** Any Content-Type is accepted: clients send JSON as text/plain or with no type at all. */
    @PUT
    @Path("create")
    public CompletionStage<Map<String, String>> create(byte[] body) {
        return sessions.create(decoder.decode(body)).thenApply(session -> Map.of("ID", session.id.toString()));
    }

    @PUT
    @Path("destroy/{id: .*}")
    public CompletionStage<Boolean> destroy(@PathParam("id") String id) {
        return sessions.destroy(requireSessionId(id)).thenApply(destroyed -> true);
    }

    @PUT
    @Path("renew/{id: .*}")
    public CompletionStage<List<ConsulSession>> renew(@PathParam("id") String id) {
        return sessions.renew(requireSessionId(id)).thenApply(session -> List.of(ConsulSession.of(session)));
    }

    @GET
    @Path("info/{id: .*}")
    @Blocking
    public Uni<Response> info(@PathParam("id") String id, @Context UriInfo uri) {
        String sessionId = requireSessionId(id);
        return blockingQuery.answerSingleStatement(uri, Table.SESSIONS, () -> {
            SessionService.Snapshot found = sessions.findWithIndex(sessionId);
            return new BlockingQuery.Result(ConsulResponses.read(ConsulSession.of(found.sessions()), found.index(), uri),
                    found.index(), found.index());
        });
    }

    @GET
    @Path("node/{node: .*}")
    @Blocking
    public Uni<Response> node(@PathParam("node") String node, @Context UriInfo uri) {
        if (node.isEmpty()) {
            throw RejectedException.invalid("Missing node name");
        }
        return read(uri, () -> sessions.listByNode(node));
    }

    @GET
    @Path("list")
    @Blocking
    public Uni<Response> list(@Context UriInfo uri) {
        return read(uri, sessions::list);
    }

    /** Session reads report, and block on, the index of the whole sessions table, as Consul's do. */
    private Uni<Response> read(UriInfo uri, Supplier<List<Session>> query) {
        return blockingQuery.answer(uri, Table.SESSIONS, () -> {
            long index = sessions.index();
            return new BlockingQuery.Result(ConsulResponses.read(ConsulSession.of(query.get()), index, uri), index, index);
        });
    }

    private static String requireSessionId(String id) {
        if (id.isEmpty()) {
            throw RejectedException.invalid("Missing session");
        }
        return id;
    }
}
