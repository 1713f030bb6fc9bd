package io.sessiond.acl;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.sessiond.testsupport.AclTokens;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static io.restassured.RestAssured.given;
import static io.sessiond.testsupport.Names.unique;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

/** ACL enforcement on the Consul API with default policy deny: each resource kind, precedence, carriers, lists. */
@QuarkusTest
@TestProfile(AclDenyProfile.class)
class AclEnforcementTest extends DenyByDefaultAclTest {

    private static String accessor(String token) {
        return as(token).when().get("/v1/acl/token/self").then().statusCode(200).extract().path("AccessorID");
    }

    private static String denial(String token, String permission, String name) {
        return "Permission denied: token with AccessorID '" + accessor(token) + "' lacks permission '" + permission
                + "' on \"" + name + "\"";
    }

    @Test
    void keyRulesAllowAndDeny() {
        String app = unique("app");
        String token = AclTokens.withRules(management, "{\"key_prefix\":{\"" + app + "/\":{\"policy\":\"write\"}}}");
        as(token).body("v").when().put("/v1/kv/" + app + "/x").then().statusCode(200).body(equalTo("true"));
        as(token).when().get("/v1/kv/" + app + "/x").then().statusCode(200);
        as(token).body("v").when().put("/v1/kv/elsewhere/x")
                .then().statusCode(403).body(equalTo(denial(token, "key:write", "elsewhere/x")));
        as(token).when().get("/v1/kv/elsewhere/x")
                .then().statusCode(403).body(equalTo(denial(token, "key:read", "elsewhere/x")));
        as(token).when().delete("/v1/kv/" + app + "/?recurse").then().statusCode(200);
        as(token).when().delete("/v1/kv/?recurse").then().statusCode(403).body(equalTo(denial(token, "key:write", "")));
    }

    @Test
    void sessionRulesGoByNode() {
        String writer = AclTokens.withRules(management, "{\"session\":{\"" + NODE + "\":{\"policy\":\"write\"}}}");
        String reader = AclTokens.withRules(management, "{\"session_prefix\":{\"\":{\"policy\":\"read\"}}}");
        String session = as(writer).when().put("/v1/session/create").then().statusCode(200).extract().path("ID");
        as(reader).when().put("/v1/session/create")
                .then().statusCode(403).body(equalTo(denial(reader, "session:write", NODE)));
        as(reader).when().get("/v1/session/info/" + session).then().statusCode(200).body("[0].ID", equalTo(session));
        as(reader).when().put("/v1/session/renew/" + session)
                .then().statusCode(403).body(equalTo(denial(reader, "session:write", NODE)));
        as(reader).when().put("/v1/session/destroy/" + session)
                .then().statusCode(403).body(equalTo(denial(reader, "session:write", NODE)));
        as(writer).when().put("/v1/session/renew/" + session).then().statusCode(200);
        as(writer).when().put("/v1/session/destroy/" + session).then().statusCode(200).body(equalTo("true"));
    }

    @Test
    void nodeAndServiceRulesGuardTheCatalog() {
        String node = unique("web");
        String operator = AclTokens.withRules(management, "{\"node_prefix\":{\"web-\":{\"policy\":\"write\"}},"
                + "\"service\":{\"api\":{\"policy\":\"write\"}}}");
        String nodeOnly = AclTokens.withRules(management, "{\"node_prefix\":{\"web-\":{\"policy\":\"write\"}}}");
        String registration = "{\"Node\":\"" + node + "\",\"Address\":\"10.0.0.5\",\"Service\":{\"ID\":\"api-1\",\"Service\":\"api\",\"Port\":8080}}";
        as(nodeOnly).body(registration).when().put("/v1/catalog/register")
                .then().statusCode(403).body(equalTo(denial(nodeOnly, "service:write", "api")));
        as(operator).body(registration).when().put("/v1/catalog/register").then().statusCode(200);
        as(operator).body("{\"Node\":\"db-1\",\"Address\":\"10.0.0.6\"}").when().put("/v1/catalog/register")
                .then().statusCode(403).body(equalTo(denial(operator, "node:write", "db-1")));
        as(operator).when().get("/v1/catalog/node/" + node).then().statusCode(200).body("Node.Node", equalTo(node));
        as(nodeOnly).when().get("/v1/catalog/node/" + node).then().statusCode(200)
                .header("X-Consul-Results-Filtered-By-ACLs", "true").body("Services.size()", equalTo(0));
        given().when().get("/v1/catalog/node/" + node).then().statusCode(200)
                .header("X-Consul-Results-Filtered-By-ACLs", "true").body(equalTo("null"));
        as(operator).body("{\"Node\":\"" + node + "\"}").when().put("/v1/catalog/deregister").then().statusCode(200);
    }

    @Test
    void agentAndNodeRulesGuardTheAgentApi() {
        String agentReader = AclTokens.withRules(management, "{\"agent\":{\"" + NODE + "\":{\"policy\":\"read\"}}}");
        as(agentReader).when().get("/v1/agent/self").then().statusCode(200).body("Config.NodeName", equalTo(NODE));
        String nobody = AclTokens.withRules(management, "");
        as(nobody).when().get("/v1/agent/self").then().statusCode(403).body(equalTo(denial(nobody, "agent:read", NODE)));
        as(agentReader).body("{\"Name\":\"worker\",\"TTL\":\"15s\"}").when().put("/v1/agent/check/register")
                .then().statusCode(403).body(equalTo(denial(agentReader, "node:write", NODE)));
        given().when().get("/v1/status/leader").then().statusCode(200);
    }

    @Test
    void aclRulesGuardTheAclApi() {
        String aclReader = AclTokens.withRules(management, "{\"acl\":\"read\"}");
        as(aclReader).when().get("/v1/acl/policies").then().statusCode(200).body("Name", hasItem("global-management"));
        as(aclReader).when().get("/v1/acl/tokens").then().statusCode(200);
        as(aclReader).body("{\"Name\":\"" + unique("nope") + "\"}").when().put("/v1/acl/policy")
                .then().statusCode(403).body(equalTo("Permission denied: token with AccessorID '" + accessor(aclReader)
                        + "' lacks permission 'acl:write'"));
    }

    @Test
    void exactBeatsPrefixLongestPrefixWinsDenyBeatsAll() {
        String app = unique("app");
        String token = AclTokens.withRules(management, "{\"key_prefix\":{\"\":{\"policy\":\"read\"},"
                + "\"" + app + "/\":{\"policy\":\"write\"},\"" + app + "/secret/\":{\"policy\":\"deny\"}},"
                + "\"key\":{\"" + app + "/secret/open\":{\"policy\":\"write\"}}}");
        as(token).body("v").when().put("/v1/kv/" + app + "/config").then().statusCode(200);
        as(token).body("v").when().put("/v1/kv/" + app + "/secret/open").then().statusCode(200);
        as(token).when().get("/v1/kv/" + app + "/secret/other")
                .then().statusCode(403).body(equalTo(denial(token, "key:read", app + "/secret/other")));
        as(token).body("v").when().put("/v1/kv/other-" + app).then().statusCode(403);
        as(token).when().delete("/v1/kv/" + app + "/?recurse")
                .then().statusCode(403).body(equalTo(denial(token, "key:write", app + "/")));

        String shared = unique("shared");
        String writes = unique("writes");
        String denies = unique("denies");
        AclTokens.policy(management, writes, "{\"key\":{\"" + shared + "\":{\"policy\":\"write\"}}}");
        AclTokens.policy(management, denies, "{\"key_prefix\":{\"\":{\"policy\":\"write\"}},"
                + "\"key\":{\"" + shared + "\":{\"policy\":\"deny\"}}}");
        String both = AclTokens.token(management, "two policies", writes, denies);
        as(both).body("v").when().put("/v1/kv/" + shared).then().statusCode(403);
        as(both).body("v").when().put("/v1/kv/" + shared + "-not").then().statusCode(200);
    }

    @Test
    void everyTokenCarrierIsRead() {
        String key = unique("carried");
        String token = AclTokens.withRules(management, "{\"key\":{\"" + key + "\":{\"policy\":\"write\"}}}");
        given().header("X-Consul-Token", token).body("a").when().put("/v1/kv/" + key).then().statusCode(200);
        given().queryParam("token", token).body("b").when().put("/v1/kv/" + key).then().statusCode(200);
        given().header("Authorization", "Bearer " + token).body("c").when().put("/v1/kv/" + key).then().statusCode(200);
        given().body("d").when().put("/v1/kv/" + key)
                .then().statusCode(403).body(startsWith("Permission denied: token with AccessorID '" + ANONYMOUS + "'"));
        given().header("X-Consul-Token", "").body("d").when().put("/v1/kv/" + key)
                .then().statusCode(403).body(startsWith("Permission denied: token with AccessorID '" + ANONYMOUS + "'"));
        given().header("X-Consul-Token", UUID.randomUUID().toString()).when().get("/v1/kv/" + key)
                .then().statusCode(403).body(equalTo("ACL not found"));
    }

    @Test
    void anonymousTokenFollowsItsPoliciesUnderDeny() {
        String key = unique("public");
        String anonymousPolicy = unique("anonymous");
        AclTokens.policy(management, anonymousPolicy, "{\"key\":{\"" + key + "\":{\"policy\":\"read\"}}}");
        as(management).body("v").when().put("/v1/kv/" + key).then().statusCode(200);
        given().when().get("/v1/kv/" + key).then().statusCode(403);
        as(management).body("{\"Description\":\"Anonymous Token\",\"Policies\":[{\"Name\":\"" + anonymousPolicy + "\"}]}")
                .when().put("/v1/acl/token/" + ANONYMOUS).then().statusCode(200);
        try {
            given().when().get("/v1/kv/" + key).then().statusCode(200);
            given().body("w").when().put("/v1/kv/" + key).then().statusCode(403);
        } finally {
            as(management).body("{\"Description\":\"Anonymous Token\"}").when().put("/v1/acl/token/" + ANONYMOUS)
                    .then().statusCode(200);
        }
    }

    @Test
    void listsAreFilteredAndSaySo() {
        String visible = unique("vis");
        String hidden = unique("hid");
        as(management).body("1").when().put("/v1/kv/" + visible + "/a").then().statusCode(200);
        as(management).body("2").when().put("/v1/kv/" + hidden + "/b").then().statusCode(200);
        String token = AclTokens.withRules(management, "{\"key_prefix\":{\"" + visible + "/\":{\"policy\":\"read\"}},"
                + "\"session_prefix\":{\"\":{\"policy\":\"read\"}},\"node\":{\"" + NODE + "\":{\"policy\":\"read\"}}}");
        as(token).when().get("/v1/kv/?recurse").then().statusCode(200)
                .header("X-Consul-Results-Filtered-By-ACLs", "true")
                .body("Key", everyItem(startsWith(visible + "/")));
        as(token).when().get("/v1/kv/" + visible + "/?recurse").then().statusCode(200)
                .header("X-Consul-Results-Filtered-By-ACLs", nullValue())
                .body("Key", contains(visible + "/a"));
        as(token).when().get("/v1/kv/?keys").then().statusCode(200)
                .header("X-Consul-Results-Filtered-By-ACLs", "true")
                .body("$", hasItem(visible + "/a")).body("$", not(hasItem(hidden + "/b")));
        as(token).when().get("/v1/kv/" + hidden + "/?recurse").then().statusCode(404)
                .header("X-Consul-Results-Filtered-By-ACLs", "true");

        String otherNode = unique("node");
        as(management).body("{\"Node\":\"" + otherNode + "\",\"Address\":\"10.0.0.7\"}").when().put("/v1/catalog/register")
                .then().statusCode(200);
        as(token).when().get("/v1/catalog/nodes").then().statusCode(200)
                .header("X-Consul-Results-Filtered-By-ACLs", "true").body("Node", contains(NODE));

        String nodeSessions = AclTokens.withRules(management, "{\"session\":{\"" + otherNode + "\":{\"policy\":\"read\"}}}");
        String session = as(management).when().put("/v1/session/create").then().statusCode(200).extract().path("ID");
        as(nodeSessions).when().get("/v1/session/list").then().statusCode(200)
                .header("X-Consul-Results-Filtered-By-ACLs", "true").body("ID", not(hasItem(session)));
        as(token).when().get("/v1/session/list").then().statusCode(200)
                .header("X-Consul-Results-Filtered-By-ACLs", nullValue()).body("ID", hasItem(session));
        as(management).when().put("/v1/session/destroy/" + session).then().statusCode(200);
        as(management).body("{\"Node\":\"" + otherNode + "\"}").when().put("/v1/catalog/deregister").then().statusCode(200);
    }

    @Test
    void aLockCannotBeReleasedOrStolenWithoutWriteOnItsKey() {
        String key = unique("locks") + "/leader";
        String holder = AclTokens.withRules(management, "{\"key\":{\"" + key + "\":{\"policy\":\"write\"}},"
                + "\"session_prefix\":{\"\":{\"policy\":\"write\"}}}");
        String reader = AclTokens.withRules(management, "{\"key\":{\"" + key + "\":{\"policy\":\"read\"}},"
                + "\"session_prefix\":{\"\":{\"policy\":\"write\"}}}");
        String session = as(holder).when().put("/v1/session/create").then().statusCode(200).extract().path("ID");
        as(holder).body("me").when().put("/v1/kv/" + key + "?acquire=" + session).then().statusCode(200).body(equalTo("true"));
        as(reader).body("").when().put("/v1/kv/" + key + "?release=" + session)
                .then().statusCode(403).body(equalTo(denial(reader, "key:write", key)));
        String thief = as(reader).when().put("/v1/session/create").then().statusCode(200).extract().path("ID");
        as(reader).body("").when().put("/v1/kv/" + key + "?acquire=" + thief).then().statusCode(403);
        as(reader).when().delete("/v1/kv/" + key).then().statusCode(403);
        as(reader).when().get("/v1/kv/" + key).then().statusCode(200).body("[0].Session", equalTo(session));
        as(holder).body("me").when().put("/v1/kv/" + key + "?release=" + session).then().statusCode(200).body(equalTo("true"));
    }

    @Test
    void policiesMayListSeveralResourceKindsAtOnce() {
        String key = unique("mixed");
        String token = AclTokens.withRules(management, "{\"key\":{\"" + key + "\":{\"policy\":\"write\"}},"
                + "\"session_prefix\":{\"\":{\"policy\":\"write\"}},\"operator\":\"read\"}");
        as(token).body("v").when().put("/v1/kv/" + key).then().statusCode(200);
        as(token).when().get("/v1/session/list").then().statusCode(200);
        as(token).when().get("/v1/acl/token/self").then().statusCode(200)
                .body("Policies.Name", containsInAnyOrder(startsWith("p-")));
    }
}
