package io.sessiond.consul;

import io.sessiond.acl.Authorizer;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/** Responses as Consul writes them. */
final class ConsulResponses {

    /** Consul's errors are plain text; Go clients sniff it as such. */
    static final MediaType PLAIN_TEXT = MediaType.valueOf("text/plain; charset=utf-8");

    private ConsulResponses() {
    }

    /**
     * A read: the body plus the headers clients rely on to block and to judge freshness. The index is never
     * 0, which clients take as an error; a single server always knows its leader and is it.
     */
    static Response read(Object body, long index, UriInfo uri) {
        return read(body, index, uri, false);
    }

    /** A read whose answer lost items the token may not read says so, as Consul does. */
    static Response read(Object body, long index, UriInfo uri, boolean filteredByAcls) {
        Response.ResponseBuilder response = Response.ok(body, MediaType.APPLICATION_JSON_TYPE);
        if (filteredByAcls) {
            response.header(Authorizer.Filtered.HEADER, "true");
        }
        return response
                .header("X-Consul-Index", Long.toUnsignedString(Math.max(index, 1)))
                .header("X-Consul-Knownleader", "true")
                .header("X-Consul-Lastcontact", "0")
                .header("X-Consul-Effective-Consistency", consistency(uri.getQueryParameters()))
                .build();
    }

    /** A read that found nothing, where Consul answers 404 with an empty body and the read headers. */
    static Response readNotFound(long index, UriInfo uri) {
        return readNotFound(index, uri, false);
    }

    static Response readNotFound(long index, UriInfo uri, boolean filteredByAcls) {
        return Response.fromResponse(read(null, index, uri, filteredByAcls)).status(404).build();
    }

    static Response error(int status, String message) {
        return Response.status(status).type(PLAIN_TEXT).entity(message).build();
    }

    private static String consistency(MultivaluedMap<String, String> query) {
        if (query.containsKey("consistent")) {
            return "consistent";
        }
        return query.containsKey("stale") ? "stale" : "leader";
    }
}
