package io.sessiond.consul;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import io.sessiond.RejectedException;
import io.sessiond.catalog.Catalog;
import io.sessiond.catalog.HealthCheck;
import io.sessiond.index.Table;
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

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** Consul's {@code /v1/catalog} and {@code /v1/health} endpoints. */
@ConsulApi
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
public class ConsulCatalogResource {

    private final Catalog catalog;
    private final BlockingQuery blockingQuery;
    private final ObjectMapper mapper;

    public ConsulCatalogResource(Catalog catalog, BlockingQuery blockingQuery, ObjectMapper mapper) {
        this.catalog = catalog;
        this.blockingQuery = blockingQuery;
        this.mapper = mapper;
    }

    @PUT
    @Path("catalog/register")
    public boolean register(byte[] body) {
        GoJsonObject request = GoJsonObject.parse(mapper, body, "structs.RegisterRequest");
        Catalog.ServiceRegistration service = request.object("Service", "structs.NodeService")
                .map(s -> new Catalog.ServiceRegistration(s.string("ID"), s.string("Service"),
                        s.strings("Tags", "string"), s.string("Address"), s.integer("Port")))
                .orElse(null);
        List<GoJsonObject> checks = new ArrayList<>(request.objects("Checks", "structs.HealthCheck"));
        request.object("Check", "structs.HealthCheck").ifPresent(checks::add);
        catalog.register(new Catalog.NodeRegistration(request.string("Node"), request.string("Address"),
                request.stringMap("TaggedAddresses"), request.stringMap("NodeMeta"), service,
                checks.stream().map(ConsulCatalogResource::check).toList(), request.bool("SkipNodeUpdate")));
        return true;
    }

    @PUT
    @Path("catalog/deregister")
    public boolean deregister(byte[] body) {
        GoJsonObject request = GoJsonObject.parse(mapper, body, "structs.DeregisterRequest");
        String node = request.string("Node");
        String checkId = request.string("CheckID");
        String serviceId = request.string("ServiceID");
        if (checkId != null && !checkId.isEmpty()) {
            catalog.deregisterCheck(node, checkId);
        } else if (serviceId != null && !serviceId.isEmpty()) {
            catalog.deregisterService(node, serviceId);
        } else {
            catalog.deregisterNode(node);
        }
        return true;
    }

    @GET
    @Path("catalog/nodes")
    @Blocking
    public Uni<Response> nodes(@Context UriInfo uri) {
        return read(uri, Table.NODES, () -> catalog.nodes().stream().map(CatalogViews.ConsulNode::of).toList());
    }

    /** Any service change also moves the nodes index, so this read blocks on that one table. */
    @GET
    @Path("catalog/node/{node: .*}")
    @Blocking
    public Uni<Response> node(@PathParam("node") String node, @Context UriInfo uri) {
        requireParameter(node, "Missing node name");
        return read(uri, Table.NODES, () -> catalog.node(node).<Object>map(found -> {
            Map<String, CatalogViews.ConsulService> services = new LinkedHashMap<>();
            catalog.servicesOf(found.name).forEach(service -> services.put(service.serviceId, CatalogViews.ConsulService.of(service)));
            return new CatalogViews.ConsulNodeServices(CatalogViews.ConsulNode.of(found), services);
        }).orElse(NullNode.instance));
    }

    @GET
    @Path("health/node/{node: .*}")
    @Blocking
    public Uni<Response> healthOfNode(@PathParam("node") String node, @Context UriInfo uri) {
        requireParameter(node, "Missing node name");
        return read(uri, Table.CHECKS, () -> views(catalog.checksOfNode(node)));
    }

    @GET
    @Path("health/checks/{service: .*}")
    @Blocking
    public Uni<Response> checksOfService(@PathParam("service") String service, @Context UriInfo uri) {
        requireParameter(service, "Missing service name");
        return read(uri, Table.CHECKS, () -> views(catalog.checksOfService(service)));
    }

    @GET
    @Path("health/state/{state: .*}")
    @Blocking
    public Uni<Response> checksInState(@PathParam("state") String state, @Context UriInfo uri) {
        requireParameter(state, "Missing check state");
        if (!List.of("any", "passing", "warning", "critical").contains(state)) {
            throw RejectedException.invalid("Bad check state");
        }
        return read(uri, Table.CHECKS, () -> views(catalog.checksInState(state)));
    }

    private Uni<Response> read(UriInfo uri, Table table, Supplier<Object> query) {
        return blockingQuery.answer(uri, table, () -> {
            long index = catalog.index(table);
            return new BlockingQuery.Result(ConsulResponses.read(query.get(), index, uri), index, index);
        });
    }

    private List<CatalogViews.ConsulCheck> views(List<HealthCheck> checks) {
        return checks.stream().map(check -> CatalogViews.ConsulCheck.of(check, catalog.serviceTags(check))).toList();
    }

    /** Consul names a check by CheckID, or by ID (as some clients send it), or else by its Name. */
    private static Catalog.CheckRegistration check(GoJsonObject check) {
        String checkId = firstNonEmpty(check.string("CheckID"), check.string("ID"), check.string("Name"));
        if (checkId == null) {
            throw RejectedException.invalid("Must provide CheckID or Name for each check");
        }
        return new Catalog.CheckRegistration(checkId, check.string("Name"), check.string("Status"), check.string("Notes"),
                check.string("Output"), check.string("ServiceID"), null);
    }

    static String firstNonEmpty(String... values) {
        for (String value : values) {
            if (value != null && !value.isEmpty()) {
                return value;
            }
        }
        return null;
    }

    static void requireParameter(String value, String message) {
        if (value.isEmpty()) {
            throw RejectedException.invalid(message);
        }
    }
}
