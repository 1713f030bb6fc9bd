package io.sessiond.consul;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import io.sessiond.RejectedException;
import io.sessiond.acl.Authorizer;
import io.sessiond.acl.Caller;
import io.sessiond.acl.CatalogAccess;
import io.sessiond.acl.CheckedByResource;
import io.sessiond.acl.CheckedByResource.Why;
import io.sessiond.catalog.CatalogReads;
import io.sessiond.catalog.CatalogRegistration;
import io.sessiond.catalog.HealthCheck;
import io.sessiond.catalog.Node;
import io.sessiond.catalog.NodeService;
import io.sessiond.index.Table;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/** Consul's {@code /v1/catalog} and {@code /v1/health} endpoints. */
@ConsulApi
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
public class ConsulCatalogResource {

    private final CatalogRegistration registration;
    private final CatalogReads catalog;
    private final BlockingQuery blockingQuery;
    private final ObjectMapper mapper;
    private final Caller caller;
    private final CatalogAccess access;

    /** A read's body, and whether items the token may not read were left out of it. */
    private record Answer(Object body, boolean filtered) {
    }

    /** A node and all its services, before ACL filtering. */
    private record NodeWithServices(Node node, List<NodeService> services) {
    }

    /** A check with the tags of its service, before ACL filtering. */
    private record TaggedCheck(HealthCheck check, List<String> serviceTags) {
    }

    public ConsulCatalogResource(CatalogRegistration registration, CatalogReads catalog, BlockingQuery blockingQuery, ObjectMapper mapper, Caller caller,
                                 CatalogAccess access) {
        this.registration = registration;
        this.catalog = catalog;
        this.blockingQuery = blockingQuery;
        this.mapper = mapper;
        this.caller = caller;
        this.access = access;
    }

    @PUT
    @Path("catalog/register")
    @CheckedByResource(Why.NAMED_IN_BODY)
    public boolean register(byte[] body) {
        GoJsonObject request = GoJsonObject.parse(mapper, body, "structs.RegisterRequest");
        CatalogRegistration.ServiceRegistration service = request.object("Service", "structs.NodeService")
                .map(s -> new CatalogRegistration.ServiceRegistration(s.string("ID"), s.string("Service"),
                        s.strings("Tags", "string"), s.string("Address"), s.integer("Port")))
                .orElse(null);
        List<GoJsonObject> checks = new ArrayList<>(request.objects("Checks", "structs.HealthCheck"));
        request.object("Check", "structs.HealthCheck").ifPresent(checks::add);
        access.requireRegister(caller.authorizer(), request.string("Node"), service == null ? null : service.name());
        registration.register(new CatalogRegistration.NodeRegistration(request.string("Node"), request.string("Address"),
                request.stringMap("TaggedAddresses"), request.stringMap("NodeMeta"), service,
                checks.stream().map(ConsulCatalogResource::check).toList(), request.bool("SkipNodeUpdate")));
        return true;
    }

    @PUT
    @Path("catalog/deregister")
    @CheckedByResource(Why.NAMED_IN_BODY)
    public boolean deregister(byte[] body) {
        GoJsonObject request = GoJsonObject.parse(mapper, body, "structs.DeregisterRequest");
        String node = request.string("Node");
        String checkId = request.string("CheckID");
        String serviceId = request.string("ServiceID");
        access.requireDeregister(caller.authorizer(), node);
        if (checkId != null && !checkId.isEmpty()) {
            registration.deregisterCheck(node, checkId);
        } else if (serviceId != null && !serviceId.isEmpty()) {
            registration.deregisterService(node, serviceId);
        } else {
            registration.deregisterNode(node);
        }
        return true;
    }

    @GET
    @Path("catalog/nodes")
    @Blocking
    @CheckedByResource(Why.FILTERED_READ)
    public Uni<Response> nodes(@Context UriInfo uri) {
        return read(uri, Table.NODES, catalog::nodes, (authorizer, found) -> {
            Authorizer.Filtered<Node> nodes = access.readableNodes(authorizer, found);
            return new Answer(nodes.items().stream().map(CatalogViews.ConsulNode::of).toList(), nodes.removedAny());
        });
    }

    /** Any service change also moves the nodes index, so this read blocks on that one table. */
    @GET
    @Path("catalog/node/{node: .*}")
    @Blocking
    @CheckedByResource(Why.FILTERED_READ)
    public Uni<Response> node(@Context UriInfo uri, HttpServerRequest request) {
        String node = ConsulPath.parameter(request, "/v1/catalog/node/", "node");
        requireParameter(node, "Missing node name");
        return read(uri, Table.NODES,
                () -> catalog.node(node).map(found -> new NodeWithServices(found, catalog.servicesOf(found.name))),
                (authorizer, read) -> read.map(found -> {
                    if (!access.mayRead(authorizer, found.node())) {
                        return new Answer(NullNode.instance, true);
                    }
                    Authorizer.Filtered<NodeService> visible = access.readableServices(authorizer, found.services(),
                            service -> service.serviceName);
                    Map<String, CatalogViews.ConsulService> services = new LinkedHashMap<>();
                    visible.items().forEach(service -> services.put(service.serviceId, CatalogViews.ConsulService.of(service)));
                    return new Answer(new CatalogViews.ConsulNodeServices(CatalogViews.ConsulNode.of(found.node()), services),
                            visible.removedAny());
                }).orElse(new Answer(NullNode.instance, false)));
    }

    @GET
    @Path("health/node/{node: .*}")
    @Blocking
    @CheckedByResource(Why.FILTERED_READ)
    public Uni<Response> healthOfNode(@Context UriInfo uri, HttpServerRequest request) {
        String node = ConsulPath.parameter(request, "/v1/health/node/", "node");
        requireParameter(node, "Missing node name");
        return read(uri, Table.CHECKS, () -> tagged(catalog.checksOfNode(node)), this::visibleChecks);
    }

    @GET
    @Path("health/checks/{service: .*}")
    @Blocking
    @CheckedByResource(Why.FILTERED_READ)
    public Uni<Response> checksOfService(@Context UriInfo uri, HttpServerRequest request) {
        String service = ConsulPath.parameter(request, "/v1/health/checks/", "service");
        requireParameter(service, "Missing service name");
        return read(uri, Table.CHECKS, () -> tagged(catalog.checksOfService(service)), this::visibleChecks);
    }

    @GET
    @Path("health/state/{state: .*}")
    @Blocking
    @CheckedByResource(Why.FILTERED_READ)
    public Uni<Response> checksInState(@Context UriInfo uri, HttpServerRequest request) {
        String state = ConsulPath.parameter(request, "/v1/health/state/", "state");
        requireParameter(state, "Missing check state");
        if (!List.of("any", "passing", "warning", "critical").contains(state)) {
            throw RejectedException.invalid("Bad check state");
        }
        return read(uri, Table.CHECKS, () -> tagged(catalog.checksInState(state)), this::visibleChecks);
    }

    /**
     * {@code query} reads for every caller alike (waiters of the same read share it); {@code view} makes
     * the caller's answer from it with the token, resolved once, on the request's thread.
     */
    private <T> Uni<Response> read(UriInfo uri, Table table, Supplier<T> query, BiFunction<Authorizer, T, Answer> view) {
        Authorizer authorizer = caller.authorizer();
        return blockingQuery.answer(uri, table, () -> new BlockingQuery.Indexed<>(catalog.index(table), query.get()),
                found -> {
                    Answer answer = view.apply(authorizer, found.value());
                    return new BlockingQuery.Result(ConsulResponses.read(answer.body(), found.index(), uri, answer.filtered()),
                            found.index(), found.index());
                });
    }

    private List<TaggedCheck> tagged(List<HealthCheck> checks) {
        return checks.stream().map(check -> new TaggedCheck(check, catalog.serviceTags(check))).toList();
    }

    private Answer visibleChecks(Authorizer authorizer, List<TaggedCheck> checks) {
        Authorizer.Filtered<TaggedCheck> visible = access.readableChecks(authorizer, checks, TaggedCheck::check);
        return new Answer(visible.items().stream()
                .map(tagged -> CatalogViews.ConsulCheck.of(tagged.check(), tagged.serviceTags())).toList(), visible.removedAny());
    }

    /** Consul names a check by CheckID, or by ID (as some clients send it), or else by its Name. */
    private static CatalogRegistration.CheckRegistration check(GoJsonObject check) {
        String checkId = firstNonEmpty(check.string("CheckID"), check.string("ID"), check.string("Name"));
        if (checkId == null) {
            throw RejectedException.invalid("Must provide CheckID or Name for each check");
        }
        return new CatalogRegistration.CheckRegistration(checkId, check.string("Name"), check.string("Status"), check.string("Notes"),
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
