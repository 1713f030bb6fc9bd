package io.sessiond.jsonapi;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.sessiond.acl.Access;
import io.sessiond.acl.Authorizer;
import io.sessiond.acl.Caller;
import io.sessiond.acl.CheckedByResource;
import io.sessiond.acl.CheckedByResource.Why;
import io.sessiond.acl.Requires;
import io.sessiond.acl.ResourceKind;
import io.sessiond.acl.SessionAccess;
import io.sessiond.acl.Subject;
import io.sessiond.index.ChangeListener;
import io.sessiond.index.Table;
import io.sessiond.jsonapi.JsonApiQuery.Family;
import io.sessiond.session.SessionAdministration;
import io.sessiond.session.SessionDetails;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
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
import java.util.concurrent.CompletableFuture;

/**
 * The admin API's sessions (MaxScale's Session resource, JSON:API): list, inspect, connections, the
 * service relationship, and kill. HTTP in, {@link SessionAdministration}, JSON:API out.
 * {@link AdminRoutes} has already matched the path and method and checked the media types.
 */
@Tag(name = "Admin")
@AdminApi
@Path("/v1/sessions")
public class AdminSessionsResource {

    private static final Set<Family> COLLECTION = EnumSet.of(Family.FIELDS, Family.FILTER, Family.SORT,
            Family.PAGE, Family.SNAPSHOT, Family.BLOCKING, Family.RDNS, Family.PRETTY);
    private static final Set<Family> CONNECTIONS = EnumSet.of(Family.FIELDS, Family.FILTER, Family.SORT, Family.PAGE,
            Family.RDNS, Family.PRETTY);
    private static final Set<Family> SINGLE = EnumSet.of(Family.FIELDS, Family.RDNS, Family.PRETTY);
    private static final Set<Family> KILL = EnumSet.of(Family.TTL, Family.PRETTY);

    /** Consul's name for the index a blocking read waits to pass; the UI's live views use it on both APIs. */
    static final String INDEX_HEADER = "X-Consul-Index";

    private final SessionAdministration administration;
    private final ChangeListener changes;
    private final Caller caller;
    private final SessionAccess access;
    private final JsonApiDocuments documents;
    private final JsonApiResponses responses;
    private final SessionsType sessionsType;
    private final ConnectionsType connectionsType;
    private final ServicesType servicesType;

    public AdminSessionsResource(SessionAdministration administration, ChangeListener changes, Caller caller,
                                 SessionAccess access,
                                 JsonApiDocuments documents,
                                 JsonApiResponses responses, SessionsType sessionsType,
                                 ConnectionsType connectionsType, ServicesType servicesType) {
        this.administration = administration;
        this.changes = changes;
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
     * only sessions on nodes the token may read sessions of are listed, before filters and paging. With
     * {@code ?index=N} it is a blocking read, as Consul's: it answers once sessions or their locks changed past
     * N (the {@code X-Consul-Index} of an earlier answer), or when {@code wait} runs out.
     */
    @GET
    @Blocking
    @CheckedByResource(Why.FILTERED_READ)
    public Uni<Response> list(@Context UriInfo uri, @Context HttpHeaders headers) {
        AdminRequest request = documents.request(uri, COLLECTION, sessionsType, SessionsType.NAME);
        Authorizer authorizer = caller.authorizer();
        OptionalLong after = request.query().index();
        if (after.isEmpty() || administration.listingIndex() > after.getAsLong()) {
            return Uni.createFrom().item(listNow(request, headers, authorizer));
        }
        // A blocking read (the UI's live table): parked on the change listener, holding no thread, until
        // sessions or locks change past the client's index or the wait runs out; then read as any listing.
        CompletableFuture<Object> changed = CompletableFuture.anyOf(
                changes.changeAfter(Table.SESSIONS, after.getAsLong()), changes.changeAfter(Table.KVS, after.getAsLong()));
        return Uni.createFrom().completionStage(changed)
                .ifNoItem().after(request.query().waitTime()).recoverWithItem(after.getAsLong())
                .emitOn(Infrastructure.getDefaultWorkerPool())
                .map(woken -> QuarkusTransaction.requiringNew().call(() -> listNow(request, headers, authorizer)));
    }

    /** The listing as it is now, with the index a blocking read of it waits to pass. */
    private Response listNow(AdminRequest request, HttpHeaders headers, Authorizer authorizer) {
        long index = administration.listingIndex();
        OptionalLong snapshot = request.query().page().map(JsonApiQuery.Page::snapshot).orElse(OptionalLong.empty());
        SessionAdministration.Listing listing = administration.list(snapshot);
        Authorizer.Filtered<SessionDetails> visible = access.readableDetails(authorizer, listing.sessions());
        List<ObjectNode> resources = visible.items().stream()
                .map(details -> sessionsType.resource(details, request.rendering())).toList();
        Response response = responses.ok(documents.collection(resources, request, listing.index()), headers,
                request.query().pretty(), visible.removedAny());
        return Response.fromResponse(response).header(INDEX_HEADER, index).build();
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
