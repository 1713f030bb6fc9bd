package io.sessiond.jsonapi;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sessiond.acl.Authorizer;
import io.sessiond.acl.Caller;
import io.sessiond.acl.ResourceKind;
import io.sessiond.jsonapi.JsonApiQuery.Family;
import io.sessiond.session.SessionAdministration;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** The admin API's services: those live sessions were created on, each related to its sessions. */
@Path("/v1/services")
public class AdminServicesResource {

    private static final Set<Family> COLLECTION = EnumSet.of(Family.FIELDS, Family.FILTER, Family.PAGE, Family.PRETTY);
    private static final Set<Family> SINGLE = EnumSet.of(Family.FIELDS, Family.PRETTY);

    private final SessionAdministration administration;
    private final Caller caller;
    private final JsonApiDocuments documents;
    private final JsonApiResponses responses;
    private final ServicesType servicesType;

    public AdminServicesResource(SessionAdministration administration, Caller caller, JsonApiDocuments documents,
                                 JsonApiResponses responses, ServicesType servicesType) {
        this.administration = administration;
        this.caller = caller;
        this.documents = documents;
        this.responses = responses;
        this.servicesType = servicesType;
    }

    /** Ordered by name; under ACLs only the services the token may read, before filters and paging. */
    @GET
    public Response list(@Context UriInfo uri, @Context HttpHeaders headers) {
        AdminRequest request = documents.request(uri, COLLECTION, servicesType, ServicesType.NAME);
        Authorizer.Filtered<SessionAdministration.ServiceSessions> visible = caller.authorizer()
                .filter(administration.services(), ResourceKind.SERVICE, SessionAdministration.ServiceSessions::name);
        List<ObjectNode> resources = visible.items().stream()
                .map(service -> servicesType.resource(service, request.rendering())).toList();
        return responses.ok(documents.collection(resources, request, 0), headers, request.query().pretty(),
                visible.removedAny());
    }

    @GET
    @Path("{name}")
    public Response get(@PathParam("name") String name, @Context UriInfo uri, @Context HttpHeaders headers) {
        AdminRequest request = documents.request(uri, SINGLE, servicesType, ServicesType.NAME, name);
        ObjectNode resource = administration.service(name)
                .map(service -> servicesType.resource(service, request.rendering()))
                .orElseThrow(() -> JsonApiException.notFound("Service '" + name + "' not found"));
        return responses.ok(documents.single(resource, request), headers, request.query().pretty());
    }
}
