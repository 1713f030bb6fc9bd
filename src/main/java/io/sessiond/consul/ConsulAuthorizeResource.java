package io.sessiond.consul;

import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sessiond.RejectedException;
import io.sessiond.acl.Access;
import io.sessiond.acl.Authorizer;
import io.sessiond.acl.Caller;
import io.sessiond.acl.CheckedByResource;
import io.sessiond.acl.CheckedByResource.Why;
import io.sessiond.acl.ResourceKind;
import io.sessiond.json.InvalidJsonException;
import io.sessiond.json.StrictJson;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.Arrays;
import java.util.Optional;

/**
 * Consul's {@code POST /v1/internal/acl/authorize}, which Consul's own UI asks what the request's token may do
 * before it shows a control: a list of {@code {"Resource", "Segment", "Access"}} answered with {@code "Allow"}
 * added to each. It reveals nothing but the caller's own permissions, so it needs none (an unknown token is
 * still refused); with ACLs disabled everything is allowed. {@code list} is asked as {@code read}.
 */
@Tag(name = "Consul")
@ConsulApi
@Path("/v1/internal/acl")
@Produces(MediaType.APPLICATION_JSON)
public class ConsulAuthorizeResource {

    private final Caller caller;
    private final ObjectMapper mapper;

    public ConsulAuthorizeResource(Caller caller, ObjectMapper mapper) {
        this.caller = caller;
        this.mapper = mapper;
    }

    @POST
    @Path("authorize")
    @CheckedByResource(Why.NO_TOKEN_NEEDED)
    public ArrayNode authorize(byte[] body) {
        JsonNode requests;
        try {
            requests = StrictJson.readTree(mapper, body);
        } catch (InvalidJsonException e) {
            throw GoJsonObject.decodeFailed(switch (e.kind()) {
                case EMPTY -> "EOF";
                case TRUNCATED -> "unexpected EOF";
                case TRAILING_DATA -> "invalid character '" + e.detail() + "' after top-level value";
                default -> e.detail();
            });
        }
        if (!requests.isArray()) {
            throw GoJsonObject.cannotUnmarshal(requests, "[]structs.ACLAuthorizationRequest");
        }
        Authorizer authorizer = caller.authorizer();
        ArrayNode answers = mapper.createArrayNode();
        for (JsonNode request : requests) {
            String resource = request.path("Resource").asText("");
            String segment = request.path("Segment").asText("");
            String access = request.path("Access").asText("");
            ResourceKind kind = Arrays.stream(ResourceKind.values()).filter(k -> k.wire().equals(resource)).findFirst()
                    .orElseThrow(() -> RejectedException.invalid("Invalid request: unknown resource type \"" + resource + "\""));
            Access asked = access(access)
                    .orElseThrow(() -> RejectedException.invalid("Invalid request: unknown access level \"" + access + "\""));
            ObjectNode answer = answers.addObject().put("Resource", resource).put("Segment", segment).put("Access", access);
            answer.put("Allow", authorizer.allows(kind, segment, asked));
        }
        return answers;
    }

    private static Optional<Access> access(String access) {
        return switch (access) {
            case "read", "list" -> Optional.of(Access.READ);
            case "write" -> Optional.of(Access.WRITE);
            default -> Optional.empty();
        };
    }
}
