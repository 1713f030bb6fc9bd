package io.sessiond.consul;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import io.sessiond.RejectedException;
import io.sessiond.acl.Access;
import io.sessiond.acl.CheckedByResource;
import io.sessiond.acl.CheckedByResource.Why;
import io.sessiond.acl.Requires;
import io.sessiond.acl.ResourceKind;
import io.sessiond.acl.Subject;
import io.sessiond.catalog.CatalogReads;
import io.sessiond.catalog.CatalogRegistration;
import io.sessiond.catalog.CheckStatus;
import io.sessiond.catalog.LocalNode;
import io.sessiond.go.GoDuration;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The agent endpoints clients call: {@code /v1/agent/self}, {@code /v1/status/*}, and checks on this
 * instance's node, TTL checks among them, which turn critical when not updated within their TTL.
 */
@ConsulApi
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
public class ConsulAgentResource {

    /** The Consul version whose agent API this speaks; clients read it from /v1/agent/self. */
    static final String CONSUL_VERSION = "1.17.0";
    /** Consul's server RPC port, as the leader address reports it. */
    private static final int SERVER_PORT = 8300;
    private static final int SERF_LAN_PORT = 8301;

    private final CatalogRegistration registration;
    private final CatalogReads catalog;
    private final LocalNode localNode;
    private final ObjectMapper mapper;

    public ConsulAgentResource(CatalogRegistration registration, CatalogReads catalog, LocalNode localNode, ObjectMapper mapper) {
        this.registration = registration;
        this.catalog = catalog;
        this.localNode = localNode;
        this.mapper = mapper;
    }

    /** Go clients decode this into map[string]map[string]any: every top-level value is an object. */
    @GET
    @Path("agent/self")
    @Requires(kind = ResourceKind.AGENT, access = Access.READ, name = Subject.THIS_NODE)
    public Map<String, Object> self() {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("Datacenter", localNode.datacenter());
        config.put("NodeName", localNode.name());
        config.put("NodeID", catalog.node(localNode.name()).map(node -> node.id.toString()).orElse(""));
        config.put("Server", true);
        config.put("Revision", "sessiond");
        config.put("Version", CONSUL_VERSION);
        Map<String, Object> member = new LinkedHashMap<>();
        member.put("Name", localNode.name());
        member.put("Addr", localNode.address());
        member.put("Port", SERF_LAN_PORT);
        member.put("Tags", Map.of("dc", localNode.datacenter(), "role", "consul"));
        member.put("Status", 1);
        member.put("ProtocolMin", 1);
        member.put("ProtocolMax", 5);
        member.put("ProtocolCur", 2);
        member.put("DelegateMin", 2);
        member.put("DelegateMax", 5);
        member.put("DelegateCur", 4);
        Map<String, Object> coordinate = new LinkedHashMap<>();
        coordinate.put("Vec", List.of(0, 0, 0, 0, 0, 0, 0, 0));
        coordinate.put("Error", 1.5);
        coordinate.put("Adjustment", 0);
        coordinate.put("Height", 1e-5);
        Map<String, Object> self = new LinkedHashMap<>();
        self.put("Config", config);
        self.put("DebugConfig", Map.of());
        self.put("Coord", coordinate);
        self.put("Member", member);
        self.put("Meta", Map.of());
        self.put("Stats", Map.of());
        return self;
    }

    @GET
    @Path("status/leader")
    @CheckedByResource(Why.NO_TOKEN_NEEDED)
    public TextNode leader() {
        return TextNode.valueOf(leaderAddress());
    }

    @GET
    @Path("status/peers")
    @CheckedByResource(Why.NO_TOKEN_NEEDED)
    public List<String> peers() {
        return List.of(leaderAddress());
    }

    /** Registers a check on this instance's node; with a TTL it turns critical unless updated in time. */
    @PUT
    @Path("agent/check/register")
    @Requires(kind = ResourceKind.NODE, access = Access.WRITE, name = Subject.THIS_NODE)
    public Response registerCheck(byte[] body) {
        GoJsonObject request = GoJsonObject.parse(mapper, body, "structs.CheckDefinition");
        String name = request.string("Name");
        if (name == null || name.isEmpty()) {
            throw RejectedException.invalid("Missing check name");
        }
        String checkId = ConsulCatalogResource.firstNonEmpty(request.string("CheckID"), request.string("ID"), name);
        Long ttlNs = ttl(request.string("TTL"));
        registration.register(new CatalogRegistration.NodeRegistration(localNode.name(), localNode.address(), Map.of(), Map.of(), null,
                List.of(new CatalogRegistration.CheckRegistration(checkId, name, request.string("Status"), request.string("Notes"),
                        request.string("Output"), request.string("ServiceID"), ttlNs)), true));
        return Response.ok().build();
    }

    @PUT
    @Path("agent/check/pass/{id: .*}")
    @Requires(kind = ResourceKind.NODE, access = Access.WRITE, name = Subject.THIS_NODE)
    public Response pass(HttpServerRequest request, @QueryParam("note") String note) {
        return update(ConsulPath.parameter(request, "/v1/agent/check/pass/", "check ID"), CheckStatus.PASSING.wire(), note);
    }

    @PUT
    @Path("agent/check/warn/{id: .*}")
    @Requires(kind = ResourceKind.NODE, access = Access.WRITE, name = Subject.THIS_NODE)
    public Response warn(HttpServerRequest request, @QueryParam("note") String note) {
        return update(ConsulPath.parameter(request, "/v1/agent/check/warn/", "check ID"), CheckStatus.WARNING.wire(), note);
    }

    @PUT
    @Path("agent/check/fail/{id: .*}")
    @Requires(kind = ResourceKind.NODE, access = Access.WRITE, name = Subject.THIS_NODE)
    public Response fail(HttpServerRequest request, @QueryParam("note") String note) {
        return update(ConsulPath.parameter(request, "/v1/agent/check/fail/", "check ID"), CheckStatus.CRITICAL.wire(), note);
    }

    /** Body {@code {"Status": ..., "Output": ...}}; Status is required. */
    @PUT
    @Path("agent/check/update/{id: .*}")
    @Requires(kind = ResourceKind.NODE, access = Access.WRITE, name = Subject.THIS_NODE)
    public Response updateCheck(HttpServerRequest http, byte[] body) {
        String id = ConsulPath.parameter(http, "/v1/agent/check/update/", "check ID");
        GoJsonObject request = GoJsonObject.parse(mapper, body, "checkUpdate");
        String status = request.string("Status");
        if (status == null || status.isEmpty()) {
            throw RejectedException.invalid("Invalid check status: ''");
        }
        return update(id, status, request.string("Output"));
    }

    @PUT
    @Path("agent/check/deregister/{id: .*}")
    @Requires(kind = ResourceKind.NODE, access = Access.WRITE, name = Subject.THIS_NODE)
    public Response deregisterCheck(HttpServerRequest request) {
        String id = ConsulPath.parameter(request, "/v1/agent/check/deregister/", "check ID");
        ConsulCatalogResource.requireParameter(id, "Missing check ID");
        registration.deregisterCheck(localNode.name(), id);
        return Response.ok().build();
    }

    private Response update(String id, String status, String output) {
        ConsulCatalogResource.requireParameter(id, "Missing check ID");
        registration.updateCheck(localNode.name(), id, status, output);
        return Response.ok().build();
    }

    private String leaderAddress() {
        return localNode.address() + ":" + SERVER_PORT;
    }

    private static Long ttl(String ttl) {
        if (ttl == null || ttl.isEmpty()) {
            return null;
        }
        long nanos;
        try {
            nanos = GoDuration.parse(ttl);
        } catch (GoDuration.InvalidDurationException e) {
            throw GoJsonObject.decodeFailed(e.getMessage());
        }
        if (nanos <= 0) {
            throw RejectedException.invalid("TTL must be > 0 for TTL checks");
        }
        return nanos;
    }
}
