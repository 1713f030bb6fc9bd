package io.sessiond.consul;

import io.sessiond.RejectedException;
import io.sessiond.session.SessionService;
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

/** Consul's {@code /v1/session} endpoints: HTTP in, {@link SessionService} call, Consul's JSON out. */
@ConsulApi
@Path("/v1/session")
@Produces(MediaType.APPLICATION_JSON)
public class ConsulSessionResource {

    private final SessionService sessions;
    private final SessionRequestDecoder decoder;

    public ConsulSessionResource(SessionService sessions, SessionRequestDecoder decoder) {
        this.sessions = sessions;
        this.decoder = decoder;
    }

    /** Any Content-Type is accepted: clients send JSON as text/plain or with no type at all. */
    @PUT
    @Path("create")
    public Map<String, String> create(byte[] body) {
        return Map.of("ID", sessions.create(decoder.decode(body)).id.toString());
    }

    @PUT
    @Path("destroy/{id: .*}")
    public boolean destroy(@PathParam("id") String id) {
        sessions.destroy(requireSessionId(id));
        return true;
    }

    @PUT
    @Path("renew/{id: .*}")
    public List<ConsulSession> renew(@PathParam("id") String id) {
        return List.of(ConsulSession.of(sessions.renew(requireSessionId(id))));
    }

    @GET
    @Path("info/{id: .*}")
    public Response info(@PathParam("id") String id, @Context UriInfo uri) {
        long index = sessions.index();
        List<ConsulSession> found = sessions.find(requireSessionId(id)).map(ConsulSession::of).stream().toList();
        return ConsulResponses.read(found, index, uri);
    }

    @GET
    @Path("node/{node: .*}")
    public Response node(@PathParam("node") String node, @Context UriInfo uri) {
        if (node.isEmpty()) {
            throw RejectedException.invalid("Missing node name");
        }
        long index = sessions.index();
        return ConsulResponses.read(ConsulSession.of(sessions.listByNode(node)), index, uri);
    }

    @GET
    @Path("list")
    public Response list(@Context UriInfo uri) {
        long index = sessions.index();
        return ConsulResponses.read(ConsulSession.of(sessions.list()), index, uri);
    }

    private static String requireSessionId(String id) {
        if (id.isEmpty()) {
            throw RejectedException.invalid("Missing session");
        }
        return id;
    }
}
