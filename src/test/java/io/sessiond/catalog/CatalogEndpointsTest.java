package io.sessiond.catalog;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.sessiond.testsupport.Sessions;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static io.sessiond.testsupport.Names.unique;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

/** The catalog, health, agent and status endpoints: shapes and refusals. */
@QuarkusTest
class CatalogEndpointsTest {

    static void register(String body) {
        given().contentType(ContentType.JSON).body(body).when().put("/v1/catalog/register")
                .then().statusCode(200).body(equalTo("true"));
    }

    @Test
    void registeredNodesServicesAndChecksAreListed() {
        String node = unique("web");
        register("{\"Node\":\"" + node + "\",\"Address\":\"10.0.0.5\",\"NodeMeta\":{\"rack\":\"r1\"},"
                + "\"Service\":{\"ID\":\"api-1\",\"Service\":\"api\",\"Tags\":[\"v1\"],\"Port\":8080},"
                + "\"Check\":{\"CheckID\":\"api-alive\",\"Name\":\"API alive\",\"Status\":\"passing\",\"ServiceID\":\"api-1\"},"
                + "\"Checks\":[{\"Name\":\"disk\",\"Status\":\"warning\"}]}");

        given().when().get("/v1/catalog/nodes").then().statusCode(200)
                .header("X-Consul-Index", notNullValue())
                .body("Node", hasItem(node));
        given().when().get("/v1/catalog/node/" + node).then().statusCode(200)
                .body("Node.Node", equalTo(node))
                .body("Node.Address", equalTo("10.0.0.5"))
                .body("Node.Meta.rack", equalTo("r1"))
                .body("Node.TaggedAddresses.lan", equalTo("10.0.0.5"))
                .body("Node.TaggedAddresses.wan", equalTo("10.0.0.5"))
                .body("Services.'api-1'.Service", equalTo("api"))
                .body("Services.'api-1'.Tags", contains("v1"))
                .body("Services.'api-1'.Port", equalTo(8080));
        given().when().get("/v1/health/node/" + node).then().statusCode(200)
                .body("CheckID", contains("api-alive", "disk"))
                .body("[0].ServiceName", equalTo("api"))
                .body("[0].ServiceTags", contains("v1"))
                .body("[1].Status", equalTo("warning"));
        given().when().get("/v1/health/checks/api").then().statusCode(200)
                .body("CheckID", hasItem("api-alive"));
        given().when().get("/v1/health/state/warning").then().statusCode(200)
                .body("CheckID", hasItem("disk"));
        given().when().get("/v1/health/state/any").then().statusCode(200)
                .body("Node", hasItem(node));
        given().when().get("/v1/catalog/node/" + unique("nobody")).then().statusCode(200).body(equalTo("null"));
    }

    @Test
    void checksRegisteredWithoutStatusStartCritical() {
        String node = unique("nostatus");
        register("{\"Node\":\"" + node + "\",\"Address\":\"10.0.0.6\",\"Check\":{\"Name\":\"boot\"}}");
        given().when().get("/v1/health/node/" + node).then().body("[0].CheckID", equalTo("boot"))
                .body("[0].Status", equalTo("critical"));
        given().body("{\"Node\":\"" + node + "\",\"Checks\":[\"boot\"]}").when().put("/v1/session/create")
                .then().statusCode(409).body(equalTo("apply failed: Check 'boot' is in critical state"));
    }

    @Test
    void badCatalogRequestsAre400() {
        given().body("{\"Address\":\"1.2.3.4\"}").when().put("/v1/catalog/register").then().statusCode(400)
                .body(equalTo("Must provide node"));
        given().body("{\"Node\":\"x\"}").when().put("/v1/catalog/register").then().statusCode(400)
                .body(equalTo("Must provide address if SkipNodeUpdate is not set"));
        given().body("{\"Node\":\"x\",\"Address\":\"1.2.3.4\",\"Check\":{\"Name\":\"c\",\"Status\":\"bad\"}}")
                .when().put("/v1/catalog/register").then().statusCode(400).body(equalTo("Invalid check status: 'bad'"));
        given().when().get("/v1/catalog/node/x").then().statusCode(200).body(equalTo("null"));
        given().body("{\"Node\":").when().put("/v1/catalog/register").then().statusCode(400)
                .body(equalTo("Request decode failed: unexpected EOF"));
        given().body("{}").when().put("/v1/catalog/deregister").then().statusCode(400).body(equalTo("Must provide node"));
        given().when().get("/v1/health/state/sick").then().statusCode(400).body(equalTo("Bad check state"));
        given().when().get("/v1/health/node/").then().statusCode(400).body(equalTo("Missing node name"));
    }

    @Test
    void agentSelfAndStatusAnswerLikeAServer() {
        given().when().get("/v1/agent/self").then().statusCode(200)
                .body("Config.Datacenter", equalTo("dc1"))
                .body("Config.NodeName", equalTo("sessiond-test"))
                .body("Config.Server", is(true))
                .body("Member.Name", equalTo("sessiond-test"))
                .body("Member.Status", equalTo(1))
                .body("DebugConfig", notNullValue())
                .body("Stats", notNullValue());
        given().when().get("/v1/status/leader").then().statusCode(200).body(equalTo("\"127.0.0.1:8300\""));
        given().when().get("/v1/status/peers").then().statusCode(200).body("$", contains("127.0.0.1:8300"));
    }

    @Test
    void agentChecksFollowPassWarnFailAndUpdate() {
        String check = unique("app");
        given().body("{\"Name\":\"" + check + "\",\"TTL\":\"30s\"}").when().put("/v1/agent/check/register")
                .then().statusCode(200).body(emptyString());
        given().when().get("/v1/health/node/sessiond-test").then()
                .body("find { it.CheckID == '" + check + "' }.Status", equalTo("critical"))
                .body("find { it.CheckID == '" + check + "' }.Type", equalTo("ttl"));
        given().when().put("/v1/agent/check/pass/" + check + "?note=fine").then().statusCode(200);
        given().when().get("/v1/health/node/sessiond-test").then()
                .body("find { it.CheckID == '" + check + "' }.Status", equalTo("passing"))
                .body("find { it.CheckID == '" + check + "' }.Output", equalTo("fine"));
        given().when().put("/v1/agent/check/warn/" + check).then().statusCode(200);
        given().body("{\"Status\":\"passing\",\"Output\":\"all good\"}").when().put("/v1/agent/check/update/" + check)
                .then().statusCode(200);
        given().when().get("/v1/health/node/sessiond-test").then()
                .body("find { it.CheckID == '" + check + "' }.Output", equalTo("all good"));
        given().body("{\"Status\":\"sick\"}").when().put("/v1/agent/check/update/" + check).then().statusCode(400)
                .body(equalTo("Invalid check status: 'sick'"));
        given().when().put("/v1/agent/check/pass/" + unique("nope")).then().statusCode(404);
        given().body("{\"TTL\":\"1s\"}").when().put("/v1/agent/check/register").then().statusCode(400)
                .body(equalTo("Missing check name"));
        given().body("{\"Name\":\"x\",\"TTL\":\"soon\"}").when().put("/v1/agent/check/register").then().statusCode(400)
                .body(equalTo("Request decode failed: time: invalid duration \"soon\""));
        given().when().put("/v1/agent/check/deregister/" + check).then().statusCode(200);
        given().when().get("/v1/health/node/sessiond-test").then().body("CheckID", not(hasItem(check)));
    }

    @Test
    void createIsRefusedForAMissingNode() {
        given().body("{\"Node\":\"" + unique("ghost") + "\"}").when().put("/v1/session/create").then().statusCode(400)
                .body(equalTo("apply failed: Missing node registration"));
        String node = unique("known");
        register("{\"Node\":\"" + node + "\",\"Address\":\"10.0.0.7\",\"Check\":{\"CheckID\":\"serfHealth\",\"Status\":\"passing\"}}");
        Sessions.create("{\"Node\":\"" + node + "\"}");
    }
}
