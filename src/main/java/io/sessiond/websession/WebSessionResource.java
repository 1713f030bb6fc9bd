package io.sessiond.websession;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sessiond.RejectedException;
import io.sessiond.acl.Access;
import io.sessiond.acl.Requires;
import io.sessiond.acl.ResourceKind;
import io.sessiond.acl.Subject;
import io.sessiond.http.jsonapi.JsonApiErrors;
import io.sessiond.json.InvalidJsonException;
import io.sessiond.json.StrictJson;
import io.sessiond.web.IssuedWebSession;
import io.sessiond.web.UnreadableDataException;
import io.sessiond.web.WebSessionRejectedException.Kind;
import io.sessiond.web.WebSessionRejectedException;
import io.sessiond.web.WebSessionService;
import io.sessiond.web.WebSessionView;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.time.Duration;
import java.util.Iterator;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code /v1/web-sessions}: a server-side session store for web applications in any language (Beaker's
 * operations over HTTP). HTTP in, one {@link WebSessionService} call, JSON out; bodies are JSON whatever
 * their Content-Type. The {@code Set-Cookie} headers are ready for an application to pass on to its
 * browser, or for a browser (or curl's cookie jar) talking to this API directly.
 */
@Path("/v1/web-sessions")
@Produces(MediaType.APPLICATION_JSON)
@WebSessionApi
public class WebSessionResource {

    /** Carries the cookie value for {@code /current} when the caller is not the browser itself. */
    static final String SESSION_COOKIE_HEADER = "X-Session-Cookie";
    /** The token a lock request returned, to release the lock. */
    static final String LOCK_TOKEN_HEADER = "Lock-Token";

    private static final Logger LOG = Logger.getLogger(WebSessionResource.class);
    /** {@code "7"}, or a bare 7; a weak ETag never matches (If-Match compares strongly). */
    private static final Pattern VERSION_TAG = Pattern.compile("\"?(\\d{1,18})\"?");

    private final WebSessionService sessions;
    private final SessionCookies cookies;
    private final ObjectMapper mapper;
    /** Errors are the admin API's JSON:API error documents ({@code web-and-client-sessions.md} §3). */
    private final JsonApiErrors errors;

    public WebSessionResource(WebSessionService sessions, SessionCookies cookies, ObjectMapper mapper,
                              JsonApiErrors errors) {
        this.sessions = sessions;
        this.cookies = cookies;
        this.mapper = mapper;
        this.errors = errors;
    }

    /** {@code {"data": {...}}}, or no body for an empty session. */
    @POST
    @Requires(kind = ResourceKind.WEB_SESSION, access = Access.WRITE, name = Subject.WEB_SESSION_STORE)
    public Response create(String body, @Context UriInfo uri) {
        ObjectNode data = member(body, "data", false);
        return issued(sessions.create(data == null ? mapper.createObjectNode() : data), uri);
    }

    /** The session of the request's cookie ({@code Cookie}, or {@code X-Session-Cookie} with its value). */
    @GET
    @Path("current")
    @Requires(kind = ResourceKind.WEB_SESSION, access = Access.READ, name = Subject.WEB_SESSION_STORE)
    public Response current(@Context HttpHeaders headers) {
        String value = headers.getHeaderString(SESSION_COOKIE_HEADER);
        if (value == null) {
            Cookie cookie = headers.getCookies().get(cookies.name());
            value = cookie == null ? null : cookie.getValue();
        }
        return found(sessions.resolve(value));
    }

    @GET
    @Path("{id}")
    @Requires(kind = ResourceKind.WEB_SESSION, access = Access.READ, name = Subject.WEB_SESSION_STORE)
    public Response get(@PathParam("id") String id) {
        return found(sessions.get(id));
    }

    /** Replaces the data; {@code If-Match} names the version read ({@code *}: overwrite whatever is there). */
    @PUT
    @Path("{id}")
    @Requires(kind = ResourceKind.WEB_SESSION, access = Access.WRITE, name = Subject.WEB_SESSION_STORE)
    public Response save(@PathParam("id") String id, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch, String body) {
        OptionalLong expected = expectedVersion(ifMatch);
        return found(sessions.save(id, expected, member(body, "data", true)));
    }

    @POST
    @Path("{id}/touch")
    @Requires(kind = ResourceKind.WEB_SESSION, access = Access.WRITE, name = Subject.WEB_SESSION_STORE)
    public void touch(@PathParam("id") String id) {
        sessions.touch(id);
    }

    @POST
    @Path("{id}/invalidate")
    @Requires(kind = ResourceKind.WEB_SESSION, access = Access.WRITE, name = Subject.WEB_SESSION_STORE)
    public Response invalidate(@PathParam("id") String id, @Context UriInfo uri) {
        return issued(sessions.invalidate(id), uri);
    }

    @POST
    @Path("{id}/regenerate")
    @Requires(kind = ResourceKind.WEB_SESSION, access = Access.WRITE, name = Subject.WEB_SESSION_STORE)
    public Response regenerate(@PathParam("id") String id, @Context UriInfo uri) {
        return issued(sessions.regenerate(id), uri);
    }

    @DELETE
    @Path("{id}")
    @Requires(kind = ResourceKind.WEB_SESSION, access = Access.WRITE, name = Subject.WEB_SESSION_STORE)
    public Response delete(@PathParam("id") String id) {
        sessions.delete(id);
        return Response.noContent().header(HttpHeaders.SET_COOKIE, cookies.expire()).build();
    }

    /** {@code {"ttl": seconds}}. */
    @POST
    @Path("{id}/lock")
    @Requires(kind = ResourceKind.WEB_SESSION, access = Access.WRITE, name = Subject.WEB_SESSION_STORE)
    public WebSessionDocuments.Lock lock(@PathParam("id") String id, String body) {
        JsonNode ttl = members(body, true, Set.of("ttl")).get("ttl");
        if (ttl == null || !ttl.isNumber()) {
            throw RejectedException.invalid("Lock request needs \"ttl\": the lease in seconds, a number");
        }
        return WebSessionDocuments.Lock.of(sessions.lock(id, Duration.ofMillis(Math.round(ttl.doubleValue() * 1000))));
    }

    @DELETE
    @Path("{id}/lock")
    @Requires(kind = ResourceKind.WEB_SESSION, access = Access.WRITE, name = Subject.WEB_SESSION_STORE)
    public void unlock(@PathParam("id") String id, @HeaderParam(LOCK_TOKEN_HEADER) String token) {
        if (token == null) {
            throw RejectedException.invalid("Unlock needs the " + LOCK_TOKEN_HEADER + " header that the lock returned");
        }
        UUID parsed;
        try {
            parsed = UUID.fromString(token.strip());
        } catch (IllegalArgumentException e) {
            throw RejectedException.invalid(LOCK_TOKEN_HEADER + " '" + token + "' is not a lock token");
        }
        sessions.unlock(id, parsed);
    }

    @ServerExceptionMapper
    public Response rejected(RejectedException e) {
        if (e instanceof WebSessionRejectedException web) {
            int status = switch (web.kind()) {
                case STALE_VERSION -> 412;
                case DATA_TOO_LARGE -> 413;
                case LOCKED -> 423;
                case VERSION_REQUIRED -> 428;
            };
            return errors.error(status, e.getMessage(), null);
        }
        return errors.rejected(e);
    }

    @ServerExceptionMapper
    public Response unreadable(UnreadableDataException e) {
        LOG.error(e.getMessage());
        return errors.error(500, e.getMessage(), null);
    }

    /**
     * A session just created under a new id: 201, where it lives, its version and its cookie (in the body and
     * in {@code Set-Cookie}). The only answer that carries the cookie.
     */
    private Response issued(IssuedWebSession issued, UriInfo uri) {
        return Response.created(uri.getBaseUriBuilder().path("v1/web-sessions").path(issued.id()).build())
                .entity(WebSessionDocuments.Issued.of(issued))
                .tag(Long.toString(issued.session().version()))
                .header(HttpHeaders.SET_COOKIE, cookies.issue(issued.cookie()))
                .build();
    }

    /** A session read or saved: never its cookie, which would let any reader act as the session's user. */
    private static Response found(WebSessionView session) {
        return Response.ok(WebSessionDocuments.Session.of(session)).tag(Long.toString(session.version())).build();
    }

    private static OptionalLong expectedVersion(String ifMatch) {
        if (ifMatch == null || ifMatch.isBlank()) {
            throw new WebSessionRejectedException(Kind.VERSION_REQUIRED, "A save needs If-Match: the ETag of the "
                    + "version it replaces (or * to replace any version)");
        }
        if (ifMatch.strip().equals("*")) {
            return OptionalLong.empty();
        }
        Matcher version = VERSION_TAG.matcher(ifMatch.strip());
        if (!version.matches()) {
            throw RejectedException.invalid("If-Match '" + ifMatch + "' is not a web session ETag (\"<version>\")");
        }
        return OptionalLong.of(Long.parseLong(version.group(1)));
    }

    /** The JSON object {@code name} of the body, which has no other members; null when absent and optional. */
    private ObjectNode member(String body, String name, boolean required) {
        JsonNode value = members(body, required, Set.of(name)).get(name);
        if (value == null) {
            if (required) {
                throw RejectedException.invalid("Request body needs \"" + name + "\": a JSON object");
            }
            return null;
        }
        if (!value.isObject()) {
            throw RejectedException.invalid("\"" + name + "\" must be a JSON object, not " + value.getNodeType()
                    .toString().toLowerCase());
        }
        return (ObjectNode) value;
    }

    /** The body as a JSON object with only {@code allowed} members; an empty object for no body unless required. */
    private JsonNode members(String body, boolean required, Set<String> allowed) {
        if (body == null || body.isBlank()) {
            if (required) {
                throw RejectedException.invalid("Request body missing: a JSON object with " + allowed);
            }
            return mapper.createObjectNode();
        }
        JsonNode parsed;
        try {
            parsed = StrictJson.readTree(mapper, body);
        } catch (InvalidJsonException e) {
            throw RejectedException.invalid(switch (e.kind()) {
                case EMPTY, TRUNCATED, MALFORMED -> "Request body is not JSON: " + e.detail();
                case TRAILING_DATA -> "Request body is not JSON: unexpected '" + e.detail() + "' after the JSON value";
                case NUMBER_OUT_OF_RANGE -> (e.path().isEmpty() ? "The body" : "Number at " + e.dottedPath())
                        + " is out of range: " + e.detail();
            });
        }
        if (!parsed.isObject()) {
            throw RejectedException.invalid("Request body must be a JSON object with " + allowed);
        }
        for (Iterator<String> members = parsed.fieldNames(); members.hasNext(); ) {
            String member = members.next();
            if (!allowed.contains(member)) {
                throw RejectedException.invalid("Unknown member \"" + member + "\" in the request body; expected " + allowed);
            }
        }
        return parsed;
    }
}
