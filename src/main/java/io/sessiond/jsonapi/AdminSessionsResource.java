package io.sessiond.jsonapi;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sessiond.acl.Access;
import io.sessiond.acl.Authorizer;
import io.sessiond.acl.Caller;
import io.sessiond.acl.CheckedByResource;
import io.sessiond.acl.CheckedByResource.Why;
import io.sessiond.acl.Requires;
import io.sessiond.acl.ResourceKind;
import io.sessiond.acl.SessionAccess;
import io.sessiond.acl.Subject;
import io.sessiond.jsonapi.JsonApiQuery.Family;
import io.sessiond.session.SessionAdministration;
import io.sessiond.session.SessionDetails;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.Encoded;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import java.util.EnumSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The admin API's sessions (MaxScale's Session resource, JSON:API): list, inspect, connections, the
 * service relationship, and kill. HTTP in, {@link SessionAdministration}, JSON:API out.
 * {@link AdminRoutes} has already matched the path and method and checked the media types.
 */
@Tag(name = "Admin")
@AdminApi
@Path("/v1/sessions")
public class AdminSessionsResource {

    private static final Set<Family> COLLECTION = EnumSet.of(Family.FIELDS, Family.FILTER, Family.PAGE,
            Family.SNAPSHOT, Family.RDNS, Family.PRETTY);
    private static final Set<Family> CONNECTIONS = EnumSet.of(Family.FIELDS, Family.FILTER, Family.PAGE, Family.RDNS,
            Family.PRETTY);
    private static final Set<Family> SINGLE = EnumSet.of(Family.FIELDS, Family.RDNS, Family.PRETTY);
    private static final Set<Family> KILL = EnumSet.of(Family.TTL, Family.PRETTY);

    private final SessionAdministration administration;
    private final Caller caller;
    private final SessionAccess access;
    private final JsonApiDocuments documents;
    private final JsonApiResponses responses;
    private final SessionsType sessionsType;
    private final ConnectionsType connectionsType;
    private final ServicesType servicesType;

    public AdminSessionsResource(SessionAdministration administration, Caller caller, SessionAccess access,
                                 JsonApiDocuments documents,
                                 JsonApiResponses responses, SessionsType sessionsType,
                                 ConnectionsType connectionsType, ServicesType servicesType) {
        this.administration = administration;
        this.caller = caller;
        this.access = access;
        this.documents = documents;
        this.responses = responses;
        this.sessionsType = sessionsType;
        this.connectionsType = connectionsType;
        this.servicesType = servicesType;
    }

    /**
     * Ordered by creation time, then ID. Paging links carry the change index of the first page as
     * {@code page[snapshot]}: every page then lists the sessions created up to that index, so walking the
     * {@code next} links sees each of them once while new sessions are created (they sort after, and are
     * outside the snapshot). A session that ends during the walk shifts the later pages by one. Under ACLs
     * only sessions on nodes the token may read sessions of are listed, before filters and paging.
     */
    @GET
    @CheckedByResource(Why.FILTERED_READ)
    public Response list(@Context UriInfo uri, @Context HttpHeaders headers) {
        AdminRequest request = documents.request(uri, COLLECTION, sessionsType, SessionsType.NAME);
        OptionalLong snapshot = request.query().page().map(JsonApiQuery.Page::snapshot).orElse(OptionalLong.empty());
        SessionAdministration.Listing listing = administration.list(snapshot);
        Authorizer.Filtered<SessionDetails> visible = access.readableDetails(caller.authorizer(), listing.sessions());
        List<ObjectNode> resources = visible.items().stream()
                .map(details -> sessionsType.resource(details, request.rendering())).toList();
        return responses.ok(documents.collection(resources, request, listing.index()), headers, request.query().pretty(),
                visible.removedAny());
    }

    @GET
    @Path("{id}")
    @Requires(kind = ResourceKind.SESSION, access = Access.READ, name = Subject.SESSION_NODE)
    public Response get(@Encoded @PathParam("id") String id, @Context UriInfo uri, @Context HttpHeaders headers) {
        AdminRequest request = documents.request(uri, SINGLE, sessionsType, SessionsType.NAME, id);
        ObjectNode resource = sessionsType.resource(find(id), request.rendering());
        return responses.ok(documents.single(resource, request), headers, request.query().pretty());
    }

    @GET
    @Path("{id}/connections")
    @Requires(kind = ResourceKind.SESSION, access = Access.READ, name = Subject.SESSION_NODE)
    public Response connections(@Encoded @PathParam("id") String id, @Context UriInfo uri, @Context HttpHeaders headers) {
        AdminRequest request = documents.request(uri, CONNECTIONS, connectionsType, SessionsType.NAME, id,
                ConnectionsType.NAME);
        SessionDetails details = find(id);
        List<ObjectNode> resources = details.connections().stream()
                .map(connection -> connectionsType.resource(connection, details.now(), request.rendering())).toList();
        return responses.ok(documents.collection(resources, request, 0), headers, request.query().pretty());
    }

    @GET
    @Path("{id}/relationships/services")
    @Requires(kind = ResourceKind.SESSION, access = Access.READ, name = Subject.SESSION_NODE)
    public Response services(@Encoded @PathParam("id") String id, @Context UriInfo uri, @Context HttpHeaders headers) {
        AdminRequest request = documents.request(uri, EnumSet.of(Family.PRETTY), servicesType, SessionsType.NAME, id,
                "relationships", ServicesType.NAME);
        ObjectNode resource = sessionsType.resource(find(id), request.rendering());
        return responses.ok(documents.relationship(resource, ServicesType.NAME, request), headers,
                request.query().pretty());
    }

    /**
     * Without {@code ttl} (or {@code ttl=0}) the session ends now, exactly as a Consul destroy ends it
     * (its locks released or deleted by its behavior): 204. With {@code ttl=N} it ends N seconds from now:
     * 202 with the session, now {@code "Stopping session"}.
     */
    @DELETE
    @Path("{id}")
    @Requires(kind = ResourceKind.SESSION, access = Access.WRITE, name = Subject.SESSION_NODE)
    @APIResponse(responseCode = "204", description = "Ended now")
    @APIResponse(responseCode = "202", description = "With ?ttl=: the session, stopping at the time given")
    public Response kill(@Encoded @PathParam("id") String id, @Context UriInfo uri) {
        AdminRequest request = documents.request(uri, KILL, sessionsType, SessionsType.NAME, id);
        long ttl = request.query().ttl().orElse(0);
        if (ttl == 0) {
            if (!administration.kill(id)) {
                throw notFound(id);
            }
            return Response.noContent().build();
        }
        SessionDetails stopping = administration.stopAfter(id, ttl).orElseThrow(() -> notFound(id));
        ObjectNode resource = sessionsType.resource(stopping, request.rendering());
        return responses.accepted(documents.single(resource, request), request.query().pretty());
    }

    private SessionDetails find(String id) {
        return administration.find(id).orElseThrow(() -> notFound(id));
    }

    private static JsonApiException notFound(String id) {
        return JsonApiException.notFound("Session '" + id + "' not found");
    }
}
