package io.sessiond.jsonapi;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sessiond.RejectedException;
import io.sessiond.acl.Access;
import io.sessiond.acl.Requires;
import io.sessiond.acl.ResourceKind;
import io.sessiond.acl.Subject;
import io.sessiond.http.jsonapi.JsonApiErrors;
import io.sessiond.jsonapi.JsonApiQuery.Family;
import io.sessiond.web.WebSessionService;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.Encoded;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The admin API's web sessions: list, inspect and kill the sessions of the web session store. HTTP in,
 * {@link WebSessionService}, JSON:API out. The path is under {@code /v1/admin/}: {@code /v1/web-sessions}
 * belongs to the store's own API. {@link AdminRoutes} has already matched the path and method and checked
 * the media types.
 */
@AdminApi
@Path("/v1/" + WebSessionsType.NAMESPACE + "/" + WebSessionsType.NAME)
public class AdminWebSessionsResource {

    private static final Set<Family> COLLECTION = EnumSet.of(Family.FIELDS, Family.FILTER, Family.PAGE, Family.PRETTY);
    private static final Set<Family> SINGLE = EnumSet.of(Family.FIELDS, Family.PRETTY);
    private static final Set<Family> KILL = EnumSet.of(Family.PRETTY);

    private final WebSessionService sessions;
    private final JsonApiDocuments documents;
    private final JsonApiResponses responses;
    private final JsonApiErrors errors;
    private final WebSessionsType webSessionsType;

    public AdminWebSessionsResource(WebSessionService sessions, JsonApiDocuments documents,
                                    JsonApiResponses responses, JsonApiErrors errors, WebSessionsType webSessionsType) {
        this.sessions = sessions;
        this.documents = documents;
        this.responses = responses;
        this.errors = errors;
        this.webSessionsType = webSessionsType;
    }

    /**
     * Oldest first, then by ID. An unfiltered page reads only its own rows and the count from the store (a
     * site may have many web sessions); filters are applied to the rendered resources, as for every admin
     * collection, so a filtered listing reads all live web sessions.
     */
    @GET
    @Requires(kind = ResourceKind.WEB_SESSION, access = Access.READ, name = Subject.WEB_SESSION_STORE)
    public Response list(@Context UriInfo uri, @Context HttpHeaders headers) {
        AdminRequest request = documents.request(uri, COLLECTION, webSessionsType, WebSessionsType.NAMESPACE,
                WebSessionsType.NAME);
        Optional<JsonApiQuery.Page> page = request.query().page();
        ObjectNode document;
        if (page.isPresent() && request.query().filters().isEmpty()) {
            long total = sessions.count();
            document = documents.storePage(rendered(page.get().number(), page.get().size(), request), total, request);
        } else {
            document = documents.collection(rendered(0, Integer.MAX_VALUE, request), request, 0);
        }
        return responses.ok(document, headers, request.query().pretty());
    }

    @GET
    @Path("{id}")
    @Requires(kind = ResourceKind.WEB_SESSION, access = Access.READ, name = Subject.WEB_SESSION_STORE)
    public Response get(@Encoded @PathParam("id") String id, @Context UriInfo uri, @Context HttpHeaders headers) {
        AdminRequest request = documents.request(uri, SINGLE, webSessionsType, WebSessionsType.NAMESPACE,
                WebSessionsType.NAME, id);
        ObjectNode resource = webSessionsType.resource(sessions.summary(id), request.rendering());
        return responses.ok(documents.single(resource, request), headers, request.query().pretty());
    }

    /** Deletes the web session, as its application's logout would: the next request with its cookie finds none. */
    @DELETE
    @Path("{id}")
    @Requires(kind = ResourceKind.WEB_SESSION, access = Access.WRITE, name = Subject.WEB_SESSION_STORE)
    public Response kill(@Encoded @PathParam("id") String id, @Context UriInfo uri) {
        documents.request(uri, KILL, webSessionsType, WebSessionsType.NAMESPACE, WebSessionsType.NAME, id);
        sessions.delete(id);
        return Response.noContent().build();
    }

    /** The store's refusals (an unknown or timed-out id: 404) as JSON:API error documents. */
    @ServerExceptionMapper
    public Response rejected(RejectedException e) {
        return errors.rejected(e);
    }

    private List<ObjectNode> rendered(int page, int size, AdminRequest request) {
        return sessions.list(page, size).stream()
                .map(session -> webSessionsType.resource(session, request.rendering())).toList();
    }
}
