package io.sessiond.jsonapi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sessiond.acl.Authorizer;
import io.sessiond.http.jsonapi.JsonApiErrors;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;

/**
 * The admin API's JSON:API responses: compact or {@code pretty} JSON, and the ETag of GETs with
 * {@code If-None-Match} answered by 304. Error documents are {@link JsonApiErrors}, which the web-session API
 * shares.
 */
@ApplicationScoped
public class JsonApiResponses {

    /**
     * Attributes that change with the clock alone ({@code idle}, {@code seconds_alive}). The ETag leaves them
     * out and is therefore weak: two documents that differ only in elapsed time are the same state.
     */
    private static final Set<String> CLOCK_ATTRIBUTES = Set.of(Rendering.IDLE, Rendering.SECONDS_ALIVE);

    private final ObjectMapper mapper;

    public JsonApiResponses(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** 200 with {@code document}, or 304 when the client's {@code If-None-Match} names its ETag. */
    Response ok(ObjectNode document, HttpHeaders headers, boolean pretty) {
        return ok(document, headers, pretty, false);
    }

    /** A collection that lost resources the token may not read says so, as Consul's lists do. */
    Response ok(ObjectNode document, HttpHeaders headers, boolean pretty, boolean filteredByAcls) {
        Response response = unfiltered(document, headers, pretty);
        return filteredByAcls ? Response.fromResponse(response).header(Authorizer.Filtered.HEADER, "true").build() : response;
    }

    private Response unfiltered(ObjectNode document, HttpHeaders headers, boolean pretty) {
        EntityTag tag = new EntityTag(digest(withoutClockAttributes(document.deepCopy())), true);
        String ifNoneMatch = headers.getHeaderString(HttpHeaders.IF_NONE_MATCH);
        if (ifNoneMatch != null && matches(ifNoneMatch, tag)) {
            return Response.notModified(tag).header(HttpHeaders.CACHE_CONTROL, "no-cache").build();
        }
        return Response.ok(write(document, pretty), JsonApiErrors.MEDIA_TYPE)
                .tag(tag)
                .header(HttpHeaders.CACHE_CONTROL, "no-cache")
                .build();
    }

    /** 202: a request accepted but not completed, with the resource as it is now. */
    Response accepted(ObjectNode document, boolean pretty) {
        return Response.accepted(write(document, pretty)).type(JsonApiErrors.MEDIA_TYPE).build();
    }

    private String write(JsonNode document, boolean pretty) {
        try {
            return pretty ? mapper.writerWithDefaultPrettyPrinter().writeValueAsString(document) + "\n"
                    : mapper.writeValueAsString(document);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A JSON tree could not be written", e);
        }
    }

    private String digest(JsonNode document) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(write(document, false).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing", e);
        }
    }

    private static JsonNode withoutClockAttributes(JsonNode node) {
        if (node instanceof ObjectNode object) {
            object.remove(CLOCK_ATTRIBUTES);
        }
        node.forEach(JsonApiResponses::withoutClockAttributes);
        return node;
    }

    /** Weak comparison (RFC 9110 §13.1.2): the opaque tags are compared, weak or not. */
    private static boolean matches(String ifNoneMatch, EntityTag tag) {
        for (String candidate : ifNoneMatch.split(",")) {
            String value = candidate.strip();
            if (value.equals("*") || value.replaceFirst("^W/", "").equals("\"" + tag.getValue() + "\"")) {
                return true;
            }
        }
        return false;
    }
}
