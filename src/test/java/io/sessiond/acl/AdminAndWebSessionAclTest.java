package io.sessiond.acl;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.sessiond.testsupport.AclTokens;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static io.sessiond.testsupport.Names.unique;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

/**
 * The admin API (JSON:API) and the web-session API under ACLs with default policy deny: each route allowed
 * and denied with JSON:API error documents carrying Consul's text, filtered collections, each token carrier.
 */
@QuarkusTest
@TestProfile(AclDenyProfile.class)
class AdminAndWebSessionAclTest extends DenyByDefaultAclTest {

    private static final String FILTERED = "X-Consul-Results-Filtered-By-ACLs";

    private static String denial(String token, String permission, String name) {
        String accessor = as(token).when().get("/v1/acl/token/self").then().statusCode(200).extract().path("AccessorID");
        return "Permission denied: token with AccessorID '" + accessor + "' lacks permission '" + permission
                + "' on \"" + name + "\"";
    }

    /** A JSON:API error document with one 403 whose detail is {@code detail}. */
    private static void forbidden(ValidatableResponse response, String detail) {
        response.statusCode(403).contentType("application/vnd.api+json")
                .body("errors", hasSize(1))
                .body("errors[0].status", equalTo("403"))
                .body("errors[0].title", equalTo("Forbidden"))
                .body("errors[0].detail", equalTo(detail));
    }

    private String registerNode() {
        String node = unique("ext");
        as(management).body("{\"Node\":\"" + node + "\",\"Address\":\"10.0.0.9\"}").when().put("/v1/catalog/register")
                .then().statusCode(200);
        return node;
    }

    private String session(String node, String service) {
        return as(management).contentType(ContentType.JSON)
                .body("{\"Node\":\"" + node + "\",\"NodeChecks\":[],\"Service\":\"" + service + "\"}")
                .when().put("/v1/session/create").then().statusCode(200).extract().path("ID");
    }

    @Test
    void sessionRoutesNeedSessionReadOnTheSessionsNode() {
        String other = registerNode();
        String service = unique("svc");
        String local = session(NODE, service);
        String remote = session(other, service);
        String reader = AclTokens.withRules(management, "{\"session\":{\"" + NODE + "\":{\"policy\":\"read\"}}}");

        for (String path : List.of("/v1/sessions/%s", "/v1/sessions/%s/connections", "/v1/sessions/%s/relationships/services",
                "/sessions/%s/")) {
            as(reader).when().get(path.formatted(local)).then().statusCode(200);
            forbidden(as(reader).when().get(path.formatted(remote)).then(), denial(reader, "session:read", other));
        }
        as(reader).when().get("/v1/sessions/" + UUID.randomUUID()).then().statusCode(404);
        forbidden(given().when().get("/v1/sessions/" + local).then(),
                "Permission denied: token with AccessorID '" + ANONYMOUS + "' lacks permission 'session:read' on \""
                        + NODE + "\"");
    }

    @Test
    void killingASessionNeedsSessionWriteOnItsNode() {
        String other = registerNode();
        String service = unique("svc");
        String local = session(NODE, service);
        String remote = session(other, service);
        String reader = AclTokens.withRules(management, "{\"session_prefix\":{\"\":{\"policy\":\"read\"}}}");
        String writer = AclTokens.withRules(management, "{\"session\":{\"" + other + "\":{\"policy\":\"write\"}}}");

        forbidden(as(reader).when().delete("/v1/sessions/" + remote).then(), denial(reader, "session:write", other));
        forbidden(as(reader).when().delete("/v1/sessions/" + remote + "?ttl=30").then(), denial(reader, "session:write", other));
        forbidden(as(writer).when().delete("/v1/sessions/" + local).then(), denial(writer, "session:write", NODE));
        as(writer).when().delete("/v1/sessions/" + remote + "?ttl=30").then().statusCode(202)
                .body("data.attributes.state", equalTo("Stopping session"));
        as(writer).when().delete("/v1/sessions/" + remote).then().statusCode(204);
        as(management).when().get("/v1/sessions/" + remote).then().statusCode(404);
        as(management).when().get("/v1/sessions/" + local).then().statusCode(200);
        as(writer).when().delete("/v1/sessions/" + remote).then().statusCode(404);
        as(management).when().delete("/v1/sessions/" + local).then().statusCode(204);
    }

    @Test
    void sessionCollectionsAreFilteredBeforePaging() {
        String other = registerNode();
        String service = unique("svc");
        List<String> local = List.of(session(NODE, service), session(NODE, service), session(NODE, service));
        List<String> remote = List.of(session(other, service), session(other, service));
        String reader = AclTokens.withRules(management, "{\"session\":{\"" + NODE + "\":{\"policy\":\"read\"}}}");
        String filterAndPage = "/v1/sessions?filter[services]=" + service + "&page[size]=2";

        as(management).when().get(filterAndPage).then().statusCode(200).header(FILTERED, nullValue())
                .body("meta.total", equalTo(5));
        as(reader).when().get(filterAndPage).then().statusCode(200).header(FILTERED, "true")
                .body("meta.total", equalTo(3))
                .body("data.id", contains(local.get(0), local.get(1)))
                .body("links.last", containsString("page%5Bnumber%5D=1"))
                .body("links.next", not(nullValue()));
        String lastPage = as(reader).when().get(filterAndPage + "&page[number]=1").then().statusCode(200)
                .header(FILTERED, "true")
                .body("meta.total", equalTo(3))
                .body("data.id", contains(local.get(2)))
                .body("links.next", nullValue())
                .extract().path("links.self");
        as(reader).urlEncodingEnabled(false).when().get(lastPage).then().statusCode(200)
                .body("data.id", contains(local.get(2)));
        as(reader).when().get("/v1/sessions").then().statusCode(200).header(FILTERED, "true")
                .body("data.id", not(hasItem(remote.get(0)))).body("data.id", not(hasItem(remote.get(1))));

        String nobody = AclTokens.withRules(management, "");
        as(nobody).when().get(filterAndPage).then().statusCode(200).header(FILTERED, "true")
                .body("meta.total", equalTo(0)).body("data", hasSize(0));
    }

    @Test
    void servicesNeedServiceRead() {
        String visible = unique("seen");
        String hidden = unique("unseen");
        session(NODE, visible);
        session(NODE, hidden);
        String reader = AclTokens.withRules(management, "{\"service\":{\"" + visible + "\":{\"policy\":\"read\"}}}");

        as(reader).when().get("/v1/services/" + visible).then().statusCode(200).body("data.id", equalTo(visible));
        forbidden(as(reader).when().get("/v1/services/" + hidden).then(), denial(reader, "service:read", hidden));
        as(reader).when().get("/v1/services").then().statusCode(200).header(FILTERED, "true")
                .body("data.id", contains(visible)).body("meta.total", equalTo(1));
        as(management).when().get("/v1/services").then().statusCode(200).header(FILTERED, nullValue())
                .body("data.id", hasItem(hidden));
    }

    @Test
    void aServiceShowsOnlyTheSessionsTheTokenMayRead() {
        String other = registerNode();
        String service = unique("svc");
        String local = session(NODE, service);
        String remote = session(other, service);
        String reader = AclTokens.withRules(management, "{\"service\":{\"" + service + "\":{\"policy\":\"read\"}},"
                + "\"session\":{\"" + NODE + "\":{\"policy\":\"read\"}}}");

        as(management).when().get("/v1/services/" + service).then().statusCode(200).header(FILTERED, nullValue())
                .body("data.attributes.session_count", equalTo(2))
                .body("data.relationships.sessions.data.id", contains(local, remote));
        as(reader).when().get("/v1/services/" + service).then().statusCode(200).header(FILTERED, "true")
                .body("data.attributes.session_count", equalTo(1))
                .body("data.relationships.sessions.data.id", contains(local));
        String inList = "data.find { it.id == '" + service + "' }";
        as(reader).when().get("/v1/services").then().statusCode(200).header(FILTERED, "true")
                .body(inList + ".attributes.session_count", equalTo(1))
                .body(inList + ".relationships.sessions.data.id", contains(local));
    }

    @Test
    void everyTokenCarrierWorksOnTheAdminApi() {
        String service = unique("svc");
        String id = session(NODE, service);
        String reader = AclTokens.withRules(management, "{\"session_prefix\":{\"\":{\"policy\":\"read\"}}}");

        as(reader).when().get("/v1/sessions/" + id).then().statusCode(200);
        given().header("Authorization", "Bearer " + reader).when().get("/v1/sessions/" + id).then().statusCode(200);
        // The token is a parameter of every endpoint; the links do not repeat the secret.
        given().queryParam("token", reader).queryParam("pretty", "true").when().get("/v1/sessions/" + id)
                .then().statusCode(200).body("links.self", not(containsString(reader)));
        given().queryParam("token", reader).when().get("/v1/sessions?filter[services]=" + service + "&page[size]=1")
                .then().statusCode(200).body("data.id", contains(id))
                .body("links.self", not(containsString("token")));
        forbidden(as(UUID.randomUUID().toString()).when().get("/v1/sessions").then(), "ACL not found");
        forbidden(given().queryParam("token", UUID.randomUUID().toString()).when().get("/v1/services").then(),
                "ACL not found");
    }

    @Test
    void webSessionsNeedWebSessionRulesOnTheStore() {
        String writer = AclTokens.withRules(management, "{\"web_session_prefix\":{\"def\":{\"policy\":\"write\"}}}");
        String reader = AclTokens.withRules(management, "{\"web_session\":{\"default\":{\"policy\":\"read\"}}}");
        String elsewhere = AclTokens.withRules(management, "{\"web_session_prefix\":{\"other\":{\"policy\":\"write\"}}}");
        String denied = AclTokens.withRules(management, "{\"web_session_prefix\":{\"\":{\"policy\":\"write\"},"
                + "\"default\":{\"policy\":\"deny\"}}}");

        var created = given().header("Authorization", "Bearer " + writer).contentType(ContentType.JSON)
                .body("{\"data\":{\"user\":\"ada\"}}").when().post("/v1/web-sessions").then().statusCode(201).extract();
        String id = created.path("id");
        String cookie = created.path("cookie");
        as(writer).header("If-Match", "*").contentType(ContentType.JSON).body("{\"data\":{\"user\":\"bob\"}}")
                .when().put("/v1/web-sessions/" + id).then().statusCode(200);
        as(writer).when().post("/v1/web-sessions/" + id + "/touch").then().statusCode(204);
        String lock = as(writer).contentType(ContentType.JSON).body("{\"ttl\":10}")
                .when().post("/v1/web-sessions/" + id + "/lock").then().statusCode(200).extract().path("lockToken");

        as(reader).when().get("/v1/web-sessions/" + id).then().statusCode(200).body("data.user", equalTo("bob"));
        given().queryParam("token", reader).header("X-Session-Cookie", cookie)
                .when().get("/v1/web-sessions/current").then().statusCode(200).body("id", equalTo(id));
        String readerDenial = denial(reader, "web_session:write", "default");
        forbidden(as(reader).contentType(ContentType.JSON).body("{}").when().post("/v1/web-sessions").then(), readerDenial);
        forbidden(as(reader).header("If-Match", "*").contentType(ContentType.JSON).body("{\"data\":{}}")
                .when().put("/v1/web-sessions/" + id).then(), readerDenial);
        for (String action : List.of("touch", "invalidate", "regenerate")) {
            forbidden(as(reader).when().post("/v1/web-sessions/" + id + "/" + action).then(), readerDenial);
        }
        forbidden(as(reader).contentType(ContentType.JSON).body("{\"ttl\":10}")
                .when().post("/v1/web-sessions/" + id + "/lock").then(), readerDenial);
        forbidden(as(reader).header("Lock-Token", lock).when().delete("/v1/web-sessions/" + id + "/lock").then(), readerDenial);
        forbidden(as(reader).when().delete("/v1/web-sessions/" + id).then(), readerDenial);

        forbidden(as(elsewhere).when().get("/v1/web-sessions/" + id).then(), denial(elsewhere, "web_session:read", "default"));
        forbidden(as(denied).when().get("/v1/web-sessions/" + id).then(), denial(denied, "web_session:read", "default"));
        forbidden(given().when().get("/v1/web-sessions/" + id).then(),
                "Permission denied: token with AccessorID '" + ANONYMOUS + "' lacks permission 'web_session:read' on \"default\"");
        forbidden(as(UUID.randomUUID().toString()).when().get("/v1/web-sessions/" + id).then(), "ACL not found");

        as(writer).header("Lock-Token", lock).when().delete("/v1/web-sessions/" + id + "/lock").then().statusCode(204);
        String regenerated = as(writer).when().post("/v1/web-sessions/" + id + "/regenerate").then().statusCode(201)
                .extract().path("id");
        String fresh = as(writer).when().post("/v1/web-sessions/" + regenerated + "/invalidate").then().statusCode(201)
                .extract().path("id");
        as(writer).when().delete("/v1/web-sessions/" + fresh).then().statusCode(204);
        as(reader).when().get("/v1/web-sessions/" + fresh).then().statusCode(404);
    }

    @Test
    void theAdminApisWebSessionsNeedWebSessionRulesOnTheStore() {
        String writer = AclTokens.withRules(management, "{\"web_session\":{\"default\":{\"policy\":\"write\"}}}");
        String reader = AclTokens.withRules(management, "{\"web_session_prefix\":{\"\":{\"policy\":\"read\"}}}");
        String sessionsOnly = AclTokens.withRules(management, "{\"session_prefix\":{\"\":{\"policy\":\"write\"}}}");
        String id = as(writer).contentType(ContentType.JSON).body("{\"data\":{\"user\":\"ada\"}}")
                .when().post("/v1/web-sessions").then().statusCode(201).extract().path("id");

        as(reader).when().get("/v1/admin/web-sessions").then().statusCode(200).body("data.id", hasItem(id));
        as(reader).when().get("/v1/admin/web-sessions/" + id).then().statusCode(200).body("data.id", equalTo(id));
        forbidden(as(sessionsOnly).when().get("/v1/admin/web-sessions").then(),
                denial(sessionsOnly, "web_session:read", "default"));
        forbidden(as(sessionsOnly).when().get("admin/web-sessions/" + id + "/").then(),
                denial(sessionsOnly, "web_session:read", "default"));
        forbidden(as(reader).when().delete("/v1/admin/web-sessions/" + id).then(),
                denial(reader, "web_session:write", "default"));
        as(reader).when().get("/v1/web-sessions/" + id).then().statusCode(200);

        as(writer).when().delete("/v1/admin/web-sessions/" + id).then().statusCode(204);
        as(reader).when().get("/v1/web-sessions/" + id).then().statusCode(404);
    }

    @Test
    void theAdminApiAndWebSessionsShareTheAnonymousTokensPolicies() {
        String anonymousPolicy = unique("anonymous");
        AclTokens.policy(management, anonymousPolicy, "{\"web_session_prefix\":{\"\":{\"policy\":\"read\"}},"
                + "\"session_prefix\":{\"\":{\"policy\":\"read\"}}}");
        String id = session(NODE, unique("svc"));
        as(management).body("{\"Description\":\"Anonymous Token\",\"Policies\":[{\"Name\":\"" + anonymousPolicy + "\"}]}")
                .when().put("/v1/acl/token/" + ANONYMOUS).then().statusCode(200);
        try {
            given().when().get("/v1/sessions/" + id).then().statusCode(200);
            given().when().get("/v1/sessions").then().statusCode(200).body("data.id", hasItem(id));
            forbidden(given().when().delete("/v1/sessions/" + id).then(),
                    "Permission denied: token with AccessorID '" + ANONYMOUS + "' lacks permission 'session:write' on \""
                            + NODE + "\"");
            given().when().get("/v1/web-sessions/" + "0".repeat(32)).then().statusCode(404);
        } finally {
            as(management).body("{\"Description\":\"Anonymous Token\"}").when().put("/v1/acl/token/" + ANONYMOUS)
                    .then().statusCode(200);
        }
        as(management).when().delete("/v1/sessions/" + id).then().statusCode(204);
    }
}
