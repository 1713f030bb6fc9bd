package io.sessiond.jsonapi;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sessiond.acl.Access;
import io.sessiond.acl.Authorizer;
import io.sessiond.acl.Caller;
import io.sessiond.acl.CatalogAccess;
import io.sessiond.acl.CheckedByResource;
import io.sessiond.acl.CheckedByResource.Why;
import io.sessiond.acl.Requires;
import io.sessiond.acl.ResourceKind;
import io.sessiond.acl.SessionAccess;
import io.sessiond.acl.Subject;
import io.sessiond.jsonapi.JsonApiQuery.Family;
import io.sessiond.session.SessionAdministration.ServiceSession;
import io.sessiond.session.SessionAdministration.ServiceSessions;
import io.sessiond.session.SessionAdministration;
import jakarta.ws.rs.Encoded;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** The admin API's services: those live sessions were created on, each related to its sessions. */
@Tag(name = "Admin")
@AdminApi
@Path("/v1/services")
public class AdminServicesResource {

    private static final Set<Family> COLLECTION = EnumSet.of(Family.FIELDS, Family.FILTER, Family.SORT, Family.PAGE,
            Family.PRETTY);
    private static final Set<Family> SINGLE = EnumSet.of(Family.FIELDS, Family.PRETTY);

    private final SessionAdministration administration;
    private final Caller caller;
    private final CatalogAccess catalogAccess;
    private final SessionAccess sessionAccess;
    private final JsonApiDocuments documents;
    private final JsonApiResponses responses;
    private final ServicesType servicesType;

    public AdminServicesResource(SessionAdministration administration, Caller caller, CatalogAccess catalogAccess,
                                 SessionAccess sessionAccess, JsonApiDocuments documents, JsonApiResponses responses,
                                 ServicesType servicesType) {
        this.administration = administration;
        this.caller = caller;
        this.catalogAccess = catalogAccess;
        this.sessionAccess = sessionAccess;
        this.documents = documents;
        this.responses = responses;
        this.servicesType = servicesType;
    }

    /**
     * Ordered by name; under ACLs only the services the token may read, each with only the sessions it may
     * read (by their nodes, as the sessions collection), before filters and paging.
     */
    @GET
    @CheckedByResource(Why.FILTERED_READ)
    public Response list(@Context UriInfo uri, @Context HttpHeaders headers) {
        AdminRequest request = documents.request(uri, COLLECTION, servicesType, ServicesType.NAME);
        Authorizer authorizer = caller.authorizer();
        Authorizer.Filtered<ServiceSessions> visible = catalogAccess.readableServices(authorizer,
                administration.services(), ServiceSessions::name);
        boolean removedAny = visible.removedAny();
        List<ObjectNode> resources = new ArrayList<>();
        for (ServiceSessions service : visible.items()) {
            Authorizer.Filtered<ServiceSession> sessions = sessionAccess.readableSessionsOf(authorizer, service);
            removedAny |= sessions.removedAny();
            resources.add(servicesType.resource(service.name(), sessions.items(), request.rendering()));
        }
        return responses.ok(documents.collection(resources, request, 0), headers, request.query().pretty(),
                removedAny);
    }

    /** The service itself needs {@code service:read} (AdminAclFilter); its sessions are filtered as in the list. */
    @GET
    @Path("{name}")
    @Requires(kind = ResourceKind.SERVICE, access = Access.READ, name = Subject.SERVICE_NAME)
    public Response get(@Encoded @PathParam("name") String name, @Context UriInfo uri, @Context HttpHeaders headers) {
        AdminRequest request = documents.request(uri, SINGLE, servicesType, ServicesType.NAME, name);
        ServiceSessions service = administration.service(name)
                .orElseThrow(() -> JsonApiException.notFound("Service '" + name + "' not found"));
        Authorizer.Filtered<ServiceSession> sessions = sessionAccess.readableSessionsOf(caller.authorizer(), service);
        ObjectNode resource = servicesType.resource(name, sessions.items(), request.rendering());
        return responses.ok(documents.single(resource, request), headers, request.query().pretty(),
                sessions.removedAny());
    }
}
