package io.sessiond.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sessiond.consul.ConsulErrorFormat;
import io.sessiond.jsonapi.AdminErrorFormat;
import io.sessiond.http.jsonapi.JsonApiErrors;
import io.sessiond.testsupport.JsonApiSchema;
import io.sessiond.websession.WebSessionErrorFormat;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Unexpected failures are answered in the dialect of the path, without the exception's text. */
class UnexpectedErrorMapperTest {

    private final JsonApiErrors jsonApi = new JsonApiErrors(new ObjectMapper());
    private final UnexpectedErrorMapper mapper = new UnexpectedErrorMapper(new ErrorFormats(List.of(
            new AdminErrorFormat(jsonApi), new WebSessionErrorFormat(jsonApi), new ConsulErrorFormat())));

    private static final IllegalStateException INTERNAL = new IllegalStateException("secret internals at line 42");

    @Test
    void anUnexpectedFailureOnAConsulRouteIsAPlainText500WithoutInternals() {
        Response response = mapper.answer(INTERNAL, "GET", "/v1/kv/a");
        assertEquals(500, response.getStatus());
        assertTrue(response.getHeaderString("Content-Type").startsWith("text/plain"));
        String body = (String) response.getEntity();
        assertTrue(body.matches("Internal server error \\(error [0-9a-f-]{36}\\)"), body);
    }

    @Test
    void anUnexpectedFailureOnJsonApiRoutesIsAJsonApi500WithoutInternals() {
        for (String path : List.of("/v1/sessions/x", "/services", "/admin/web-sessions", "/v1/web-sessions/x/lock")) {
            Response response = mapper.answer(INTERNAL, "GET", path);
            assertEquals(500, response.getStatus());
            assertEquals(JsonApiErrors.MEDIA_TYPE, response.getHeaderString("Content-Type"));
            JsonNode document = JsonApiSchema.assertValid((String) response.getEntity());
            assertEquals("500", document.at("/errors/0/status").asText());
            assertFalse(document.toString().contains("secret"), document.toString());
        }
    }

    @Test
    void anUnreachableDatabaseIs503() {
        Exception lost = new RuntimeException("wrapped", new SQLException("connection refused", "08001"));
        Response response = mapper.answer(lost, "PUT", "/v1/kv/a");
        assertEquals(503, response.getStatus());
        assertTrue(((String) response.getEntity()).startsWith("Database unavailable"));
    }

    /** JAX-RS's own refusals keep their status and headers and get a body in the dialect. */
    @Test
    void aJaxRsRefusalKeepsItsStatusAndHeaders() {
        Response response = mapper.answer(new NotAllowedException("GET"), "PATCH", "/v1/sessions");
        assertEquals(405, response.getStatus());
        assertEquals("GET", response.getHeaderString("Allow"));
        JsonNode document = JsonApiSchema.assertValid((String) response.getEntity());
        assertEquals("405", document.at("/errors/0/status").asText());

        Response consul = mapper.answer(new NotSupportedException(), "PUT", "/v1/kv/a");
        assertEquals(415, consul.getStatus());
        assertEquals("415 Unsupported Media Type", consul.getEntity());
    }
}
