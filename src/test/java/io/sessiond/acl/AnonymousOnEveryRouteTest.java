package io.sessiond.acl;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.sessiond.adversarial.Routes;
import io.sessiond.testsupport.AclTokens;
import io.sessiond.adversarial.Routes.Dialect;
import io.sessiond.adversarial.Routes.Route;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.sessiond.testsupport.Names.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Default deny on every route of every dialect, from the route enumeration (the routes compiled into the
 * application, so a new route is checked without editing this test): a request without a token, on
 * resources that exist, is refused with a 403 in its dialect's error format, or (a list) answered with
 * everything filtered out, and changes nothing. Only the routes Consul opens to every token answer.
 */
@QuarkusTest
@TestProfile(AclDenyProfile.class)
class AnonymousOnEveryRouteTest extends DenyByDefaultAclTest {

    /**
     * Routes Consul answers for any token, anonymous included ({@code internal/acl/authorize} says what the
     * caller's own token may do; AclAuthorizeTest checks its answers).
     */
    private static final Set<String> OPEN = Set.of("GET /v1/acl/token/self", "GET /v1/status/leader",
            "GET /v1/status/peers", "PUT /v1/acl/bootstrap", "POST /v1/internal/acl/authorize");

    private static final String FILTERED = "X-Consul-Results-Filtered-By-ACLs";

    /** Existing resources, made with the management token, that the routes' parameters name. */
    private record Fixture(String service, String check, String session, String key, String policyId, String policyName,
                           String tokenAccessor, String webSession) {
    }

    @Test
    void anonymousRequestsAreDeniedOnEveryRouteOfEveryDialect() {
        Fixture fixture = fixture();
        List<Route> routes = Routes.discover();
        Map<Dialect, Integer> checked = new EnumMap<>(Dialect.class);
        List<String> problems = new ArrayList<>();
        for (Route route : routes) {
            String name = route.method() + " " + route.template().replaceAll("\\{\\s*(\\w+)[^}]*}", "{$1}");
            if (OPEN.contains(name)) {
                continue;
            }
            String path = route.fill(parameter -> value(route, parameter, fixture));
            Response response = io.restassured.RestAssured.given().contentType(ContentType.JSON)
                    .body(route.takesBody() ? body(route, fixture) : "")
                    .when().request(route.method(), path);
            String problem = denied(route, response, fixture);
            if (problem != null) {
                problems.add(route.method() + " " + path + ": " + problem);
            }
            checked.merge(route.dialect(), 1, Integer::sum);
        }
        assertEquals(List.of(), problems);
        // Guards the enumeration: each dialect has routes, and every one of them was tried.
        for (Dialect dialect : Dialect.values()) {
            assertTrue(checked.getOrDefault(dialect, 0) >= 3, "only " + checked.get(dialect) + " routes of " + dialect);
        }
        assertFixtureUnchanged(fixture);
    }

    /** Null when the answer denies, else what is wrong with it. */
    private static String denied(Route route, Response response, Fixture fixture) {
        String body = response.asString();
        if (response.statusCode() == 403) {
            boolean inFormat = route.dialect() == Dialect.CONSUL
                    ? body.startsWith("Permission denied") || body.startsWith("ACL not found")
                    : body.startsWith("{\"errors\":[") && body.contains("\"status\":\"403\"");
            return inFormat ? null : "a 403 not in the " + route.dialect() + " format: " + body;
        }
        if (response.statusCode() == 200 && route.method().equals("GET") && "true".equals(response.header(FILTERED))) {
            for (String secret : List.of(fixture.session(), fixture.key(), fixture.check(), fixture.webSession())) {
                if (body.contains(secret)) {
                    return "filtered, yet it shows " + secret + ": " + body;
                }
            }
            return null;
        }
        return "answered " + response.statusCode() + (response.header(FILTERED) == null ? "" : " filtered") + ": " + body;
    }

    private static String value(Route route, String parameter, Fixture fixture) {
        String template = route.template();
        return switch (parameter) {
            case "node" -> NODE;
            case "service" -> fixture.service();
            case "state" -> "passing";
            case "key" -> fixture.key();
            case "name" -> template.startsWith("/v1/acl/") ? fixture.policyName() : fixture.service();
            case "id" -> {
                if (template.startsWith("/v1/acl/policy")) {
                    yield fixture.policyId();
                } else if (template.startsWith("/v1/acl/token")) {
                    yield fixture.tokenAccessor();
                } else if (template.startsWith("/v1/agent/check")) {
                    yield fixture.check();
                } else if (template.contains("web-sessions")) {
                    yield fixture.webSession();
                } else {
                    yield fixture.session();
                }
            }
            default -> throw new AssertionError("no fixture for {" + parameter + "} of " + route
                    + ": tell this test which existing resource it names");
        };
    }

    /** A body the route would accept from a token allowed to use it, so that only the ACL can refuse it. */
    private static String body(Route route, Fixture fixture) {
        String template = route.template();
        if (template.equals("/v1/catalog/register")) {
            return "{\"Node\":\"" + NODE + "\",\"Address\":\"10.9.9.9\"}";
        }
        if (template.equals("/v1/catalog/deregister")) {
            return "{\"Node\":\"" + NODE + "\",\"ServiceID\":\"" + fixture.service() + "\"}";
        }
        if (template.equals("/v1/agent/check/register")) {
            return "{\"Name\":\"" + unique("anonymous-check") + "\"}";
        }
        if (template.startsWith("/v1/acl/policy")) {
            return "{\"Name\":\"" + unique("anonymous-policy") + "\",\"Rules\":\"\"}";
        }
        if (template.contains("web-sessions")) {
            return "{\"data\":{}}";
        }
        if (template.startsWith("/v1/kv/")) {
            return "anonymous";
        }
        return "{}";
    }

    private Fixture fixture() {
        String service = unique("anonymous-svc");
        String check = unique("anonymous-chk");
        as(management).body("{\"Node\":\"" + NODE + "\",\"Address\":\"127.0.0.1\",\"Service\":{\"ID\":\"" + service
                        + "\",\"Service\":\"" + service + "\"},\"Check\":{\"CheckID\":\"" + check + "\",\"ServiceID\":\""
                        + service + "\",\"Status\":\"passing\"}}")
                .when().put("/v1/catalog/register").then().statusCode(200);
        String session = as(management).body("{\"Node\":\"" + NODE + "\",\"Service\":\"" + service + "\"}")
                .when().put("/v1/session/create").then().statusCode(200).extract().path("ID");
        String key = unique("anonymous-key");
        as(management).body("value").when().put("/v1/kv/" + key).then().statusCode(200);
        String policyName = unique("anonymous-p");
        String policyId = AclTokens.policy(management, policyName, "{\"key_prefix\":{\"\":{\"policy\":\"read\"}}}");
        String tokenAccessor = as(management).contentType(ContentType.JSON).body("{\"Description\":\"probe\"}")
                .when().put("/v1/acl/token").then().statusCode(200).extract().path("AccessorID");
        String webSession = as(management).contentType(ContentType.JSON).body("{\"data\":{}}")
                .when().post("/v1/web-sessions").then().statusCode(201).extract().path("id");
        return new Fixture(service, check, session, key, policyId, policyName, tokenAccessor, webSession);
    }

    private void assertFixtureUnchanged(Fixture fixture) {
        as(management).when().get("/v1/session/info/" + fixture.session()).then().statusCode(200)
                .body("[0].ID", org.hamcrest.Matchers.equalTo(fixture.session()));
        as(management).when().get("/v1/kv/" + fixture.key() + "?raw").then().statusCode(200)
                .body(org.hamcrest.Matchers.equalTo("value"));
        as(management).when().get("/v1/health/checks/" + fixture.service()).then().statusCode(200)
                .body("find { it.CheckID == '" + fixture.check() + "' }.Status", org.hamcrest.Matchers.equalTo("passing"));
        as(management).when().get("/v1/acl/policy/" + fixture.policyId()).then().statusCode(200);
        as(management).when().get("/v1/acl/token/" + fixture.tokenAccessor()).then().statusCode(200);
        as(management).when().get("/v1/admin/web-sessions/" + fixture.webSession()).then().statusCode(200);
    }
}
