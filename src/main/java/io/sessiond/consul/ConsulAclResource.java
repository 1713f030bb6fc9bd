package io.sessiond.consul;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sessiond.RejectedException;
import io.sessiond.acl.Access;
import io.sessiond.acl.AclService;
import io.sessiond.acl.Caller;
import io.sessiond.acl.CheckedByResource;
import io.sessiond.acl.CheckedByResource.Why;
import io.sessiond.acl.Requires;
import io.sessiond.acl.ResourceKind;
import io.sessiond.acl.Subject;
import io.sessiond.go.GoDuration;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * Consul's {@code /v1/acl} endpoints for the bootstrap, policies and tokens. Who may call which is declared
 * on each method ({@link Requires}, {@link CheckedByResource}); the rules are {@link AclService}'s.
 */
@Tag(name = "Consul")
@ConsulApi
@Path("/v1/acl")
@Produces(MediaType.APPLICATION_JSON)
public class ConsulAclResource {

    private static final String POLICY = "/v1/acl/policy/";
    private static final String TOKEN = "/v1/acl/token/";

    private final AclService acl;
    private final Caller caller;
    private final ObjectMapper mapper;

    public ConsulAclResource(AclService acl, Caller caller, ObjectMapper mapper) {
        this.acl = acl;
        this.caller = caller;
        this.mapper = mapper;
    }

    @PUT
    @Path("bootstrap")
    @CheckedByResource(Why.NO_TOKEN_NEEDED)
    public AclViews.ConsulAclToken bootstrap() {
        return AclViews.ConsulAclToken.of(acl.bootstrap());
    }

    @GET
    @Path("policies")
    @Requires(kind = ResourceKind.ACL, access = Access.READ, name = Subject.NOTHING)
    public List<AclViews.ConsulAclPolicy> policies() {
        return acl.policies().stream().map(AclViews.ConsulAclPolicy::listEntry).toList();
    }

    @PUT
    @Path("policy")
    @Requires(kind = ResourceKind.ACL, access = Access.WRITE, name = Subject.NOTHING)
    public AclViews.ConsulAclPolicy createPolicy(byte[] body) {
        GoJsonObject request = GoJsonObject.parse(mapper, body, "structs.ACLPolicy");
        if (!isEmpty(request.string("ID"))) {
            throw RejectedException.invalid("Cannot specify the ID when creating a new policy");
        }
        return AclViews.ConsulAclPolicy.of(acl.createPolicy(policySpec(request)));
    }

    @GET
    @Path("policy/name/{name: .*}")
    @Requires(kind = ResourceKind.ACL, access = Access.READ, name = Subject.NOTHING)
    public AclViews.ConsulAclPolicy policyByName(HttpServerRequest request) {
        String name = ConsulPath.parameter(request, "/v1/acl/policy/name/", "policy name");
        ConsulCatalogResource.requireParameter(name, "Missing policy Name");
        return AclViews.ConsulAclPolicy.of(acl.policyByName(name));
    }

    @GET
    @Path("policy/{id: .*}")
    @Requires(kind = ResourceKind.ACL, access = Access.READ, name = Subject.NOTHING)
    public AclViews.ConsulAclPolicy policy(HttpServerRequest request) {
        String id = ConsulPath.parameter(request, POLICY, "policy ID");
        ConsulCatalogResource.requireParameter(id, "Missing policy ID");
        return AclViews.ConsulAclPolicy.of(acl.policy(id));
    }

    @PUT
    @Path("policy/{id: .+}")
    @Requires(kind = ResourceKind.ACL, access = Access.WRITE, name = Subject.NOTHING)
    public AclViews.ConsulAclPolicy updatePolicy(HttpServerRequest http, byte[] body) {
        String id = ConsulPath.parameter(http, POLICY, "policy ID");
        GoJsonObject request = GoJsonObject.parse(mapper, body, "structs.ACLPolicy");
        requireSameId(request.string("ID"), id, "Policy ID in URL and payload do not match");
        return AclViews.ConsulAclPolicy.of(acl.updatePolicy(id, policySpec(request)));
    }

    @DELETE
    @Path("policy/{id: .*}")
    @Requires(kind = ResourceKind.ACL, access = Access.WRITE, name = Subject.NOTHING)
    public boolean deletePolicy(HttpServerRequest request) {
        String id = ConsulPath.parameter(request, POLICY, "policy ID");
        ConsulCatalogResource.requireParameter(id, "Missing policy ID");
        acl.deletePolicy(id);
        return true;
    }

    @GET
    @Path("tokens")
    @Requires(kind = ResourceKind.ACL, access = Access.READ, name = Subject.NOTHING)
    public List<AclViews.ConsulAclToken> tokens() {
        return acl.tokens().stream().map(AclViews.ConsulAclToken::of).toList();
    }

    @PUT
    @Path("token")
    @Requires(kind = ResourceKind.ACL, access = Access.WRITE, name = Subject.NOTHING)
    public AclViews.ConsulAclToken createToken(byte[] body) {
        return AclViews.ConsulAclToken.of(acl.createToken(tokenSpec(GoJsonObject.parse(mapper, body, "structs.ACLToken"))));
    }

    /** The request's own token; reading it needs no permission. */
    @GET
    @Path("token/self")
    @CheckedByResource(Why.NO_TOKEN_NEEDED)
    public AclViews.ConsulAclToken self() {
        return AclViews.ConsulAclToken.of(acl.tokenBySecret(caller.token()));
    }

    @GET
    @Path("token/{id: .*}")
    @Requires(kind = ResourceKind.ACL, access = Access.READ, name = Subject.NOTHING)
    public AclViews.ConsulAclToken token(HttpServerRequest request) {
        String id = ConsulPath.parameter(request, TOKEN, "token ID");
        ConsulCatalogResource.requireParameter(id, "Missing token ID");
        return AclViews.ConsulAclToken.of(acl.token(id));
    }

    @PUT
    @Path("token/{id: .+}")
    @Requires(kind = ResourceKind.ACL, access = Access.WRITE, name = Subject.NOTHING)
    public AclViews.ConsulAclToken updateToken(HttpServerRequest http, byte[] body) {
        String id = ConsulPath.parameter(http, TOKEN, "token ID");
        GoJsonObject request = GoJsonObject.parse(mapper, body, "structs.ACLToken");
        requireSameId(request.string("AccessorID"), id, "Token Accessor ID in URL and payload do not match");
        return AclViews.ConsulAclToken.of(acl.updateToken(id, tokenSpec(request)));
    }

    @DELETE
    @Path("token/{id: .*}")
    @Requires(kind = ResourceKind.ACL, access = Access.WRITE, name = Subject.NOTHING)
    public boolean deleteToken(HttpServerRequest request) {
        String id = ConsulPath.parameter(request, TOKEN, "token ID");
        ConsulCatalogResource.requireParameter(id, "Missing token ID");
        acl.deleteToken(id);
        return true;
    }

    private static AclService.PolicySpec policySpec(GoJsonObject request) {
        return new AclService.PolicySpec(request.string("Name"), request.string("Description"), request.string("Rules"));
    }

    private static AclService.TokenSpec tokenSpec(GoJsonObject request) {
        List<AclService.PolicyRef> policies = request.objects("Policies", "structs.ACLTokenPolicyLink").stream()
                .map(link -> new AclService.PolicyRef(link.string("ID"), link.string("Name")))
                .toList();
        return new AclService.TokenSpec(request.string("AccessorID"), request.string("SecretID"),
                request.string("Description"), policies, expirationTtl(request.raw("ExpirationTTL")),
                expirationTime(request.string("ExpirationTime")));
    }

    /** A Go {@code time.Duration} in JSON: a duration string ({@code "1h"}) or a number of nanoseconds. */
    private static Duration expirationTtl(JsonNode value) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isTextual()) {
            try {
                return Duration.ofNanos(GoDuration.parse(value.asText()));
            } catch (GoDuration.InvalidDurationException e) {
                throw GoJsonObject.decodeFailed(e.getMessage());
            }
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw GoJsonObject.cannotUnmarshal(value, "time.Duration");
        }
        return Duration.ofNanos(value.asLong());
    }

    /** A Go {@code time.Time} in JSON: RFC 3339. */
    private static Instant expirationTime(String value) {
        if (value == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            throw GoJsonObject.decodeFailed("parsing time " + GoDuration.quote(value) + " as \"2006-01-02T15:04:05Z07:00\"");
        }
    }

    private static void requireSameId(String inBody, String inPath, String message) {
        if (!isEmpty(inBody) && !inBody.equals(inPath)) {
            throw RejectedException.invalid(message);
        }
    }

    private static boolean isEmpty(String value) {
        return value == null || value.isEmpty();
    }
}
