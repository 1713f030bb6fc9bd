package io.sessiond.consul;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.sessiond.testsupport.EmbeddedPostgresResource;
import io.sessiond.testsupport.Sessions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Consul session endpoints, black-box over HTTP against a real PostgreSQL. HTTP only, so that
 * {@link ConsulSessionResourceIT} runs the same checks against the packaged artifact.
 */
@QuarkusTest
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
class ConsulSessionResourceTest {

    private static final String NODE = "sessiond-test";

    @TestHTTPResource("/")
    URL server;

    @Test
    void createWithoutBodyUsesConsulDefaults() {
        String id = given().when().put("/v1/session/create")
                .then().statusCode(200).contentType(ContentType.JSON)
                .extract().path("ID");

        Response info = given().when().get("/v1/session/info/" + id);
        info.then().statusCode(200)
                .header("X-Consul-Knownleader", "true")
                .header("X-Consul-Lastcontact", "0")
                .body("size()", is(1))
                .body("[0].ID", equalTo(id))
                .body("[0].Name", equalTo(""))
                .body("[0].Node", equalTo(NODE))
                .body("[0].LockDelay", equalTo(15_000_000_000L))
                .body("[0].Behavior", equalTo("release"))
                .body("[0].TTL", equalTo(""))
                .body("[0].NodeChecks", contains("serfHealth"))
                .body("[0]", hasKey("ServiceChecks"))
                .body("[0].ServiceChecks", nullValue())
                .body("[0]", not(hasKey("Checks")));
        long createIndex = info.jsonPath().getLong("[0].CreateIndex");
        assertEquals(createIndex, info.jsonPath().getLong("[0].ModifyIndex"));
        assertTrue(Long.parseLong(info.header("X-Consul-Index")) >= createIndex);
    }

    @Test
    void sessionJsonKeepsConsulFieldOrder() {
        String id = Sessions.create("{\"Name\":\"ordered\",\"TTL\":\"30s\"}");
        String body = given().when().get("/v1/session/info/" + id).then().statusCode(200).extract().asString();
        List<String> order = List.of("\"ID\"", "\"Name\"", "\"Node\"", "\"LockDelay\"", "\"Behavior\"", "\"TTL\"",
                "\"NodeChecks\"", "\"ServiceChecks\"", "\"CreateIndex\"", "\"ModifyIndex\"");
        for (int i = 1; i < order.size(); i++) {
            assertTrue(body.indexOf(order.get(i - 1)) < body.indexOf(order.get(i)), body);
        }
        assertFalse(body.endsWith("\n"), "compact JSON has no trailing newline");
    }

    @Test
    void createKeepsFieldsAndEchoesTtlAsGiven() {
        String id = Sessions.create("{\"name\":\"lock-holder\",\"ttl\":\"1.5m\",\"behavior\":\"delete\",\"Foo\":1}");
        given().when().get("/v1/session/info/" + id).then().statusCode(200)
                .body("[0].Name", equalTo("lock-holder"))
                .body("[0].TTL", equalTo("1.5m"))
                .body("[0].Behavior", equalTo("delete"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"LockDelay\":15}          | 15000000000",
            "{\"LockDelay\":\"15s\"}     | 15000000000",
            "{\"LockDelay\":\"20000ms\"} | 20000000000",
            "{\"LockDelay\":0}           | 0",
            "{\"LockDelay\":\"999ns\"}   | 999000000000",
            "{\"LockDelay\":2000000000}  | 2000000000",
            "{\"LockDelay\":true}        | 0",
            "{\"LockDelay\":null}        | 15000000000",
    })
    void lockDelayFollowsConsulsDecodingRules(String body, long expectedNanos) {
        String id = Sessions.create(body);
        long lockDelay = given().when().get("/v1/session/info/" + id).then().statusCode(200)
                .extract().jsonPath().getLong("[0].LockDelay");
        assertEquals(expectedNanos, lockDelay);
    }

    @Test
    void ttlZeroAndBoundsAreAccepted() {
        given().when().get("/v1/session/info/" + Sessions.create("{\"TTL\":\"0s\"}")).then().body("[0].TTL", equalTo("0s"));
        given().when().get("/v1/session/info/" + Sessions.create("{\"TTL\":\"86400s\"}")).then().body("[0].TTL", equalTo("86400s"));
    }

    @Test
    void emptyChecksMeanNoChecks() {
        String id = Sessions.create("{\"Checks\":[]}");
        given().when().get("/v1/session/info/" + id).then()
                .body("[0].NodeChecks", empty())
                .body("[0]", not(hasKey("Checks")));
        String noNodeChecks = Sessions.create("{\"NodeChecks\":[]}");
        given().when().get("/v1/session/info/" + noNodeChecks).then()
                .body("[0].NodeChecks", empty())
                .body("[0]", not(hasKey("Checks")));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"Node\":\"\"}           | Must provide Node",
            "{\"Node\":\"ghost\"}      | apply failed: Missing node registration",
            "{\"Behavior\":\"foo\"}    | Invalid Behavior setting 'foo'",
            "{\"Behavior\":\"Release\"}| Invalid Behavior setting 'Release'",
            "{\"TTL\":\"5ms\"}         | Invalid Session TTL '5000000', must be between [100ms=24h0m0s]",
            "{\"TTL\":\"24h0m1s\"}     | Invalid Session TTL '86401000000000', must be between [100ms=24h0m0s]",
            "{\"TTL\":\"-1s\"}         | Invalid Session TTL '-1000000000', must be between [100ms=24h0m0s]",
            "{\"TTL\":\"abc\"}         | Session TTL 'abc' invalid: time: invalid duration \"abc\"",
            "{\"TTL\":\"10\"}          | Session TTL '10' invalid: time: missing unit in duration \"10\"",
            "{\"LockDelay\":\"1x\"}    | Request decode failed: time: unknown unit \"x\" in duration \"1x\"",
            "{\"LockDelay\":-5}        | Invalid LockDelay '-5000000000', must not be negative",
            "{\"Name\":5}              | Request decode failed: json: cannot unmarshal number into Go value of type string",
            "[]                        | Request decode failed: json: cannot unmarshal array into Go value of type structs.Session",
            "{                         | Request decode failed: unexpected EOF",
    })
    void invalidCreateRequestsGet400WithConsulsText(String body, String message) {
        given().body(body).when().put("/v1/session/create")
                .then().statusCode(400).contentType(startsWith("text/plain")).body(equalTo(message));
    }

    @Test
    void rejectedCreateStoresNothing() {
        long before = given().when().get("/v1/session/list").then().extract().jsonPath().getList("$").size();
        long indexBefore = Long.parseLong(given().when().get("/v1/session/list").header("X-Consul-Index"));
        given().body("{\"TTL\":\"abc\"}").when().put("/v1/session/create").then().statusCode(400);
        given().body("{\"Node\":\"ghost\"}").when().put("/v1/session/create").then().statusCode(400);
        Response after = given().when().get("/v1/session/list");
        assertEquals(before, after.jsonPath().getList("$").size());
        assertEquals(indexBefore, Long.parseLong(after.header("X-Consul-Index")));
    }

    @Test
    void jsonIsAcceptedWhateverTheContentType() {
        String id = given().contentType("text/plain; charset=UTF-8").body("{\"Name\":\"ecwid\"}")
                .when().put("/v1/session/create").then().statusCode(200).extract().path("ID");
        given().when().get("/v1/session/info/" + id).then().body("[0].Name", equalTo("ecwid"));
    }

    @Test
    void renewReturnsTheSessionWithoutIndexHeaders() {
        String id = Sessions.create("{\"TTL\":\"30s\"}");
        given().when().put("/v1/session/renew/" + id).then().statusCode(200)
                .header("X-Consul-Index", nullValue())
                .body("size()", is(1))
                .body("[0].ID", equalTo(id))
                .body("[0].TTL", equalTo("30s"));
        String noTtl = Sessions.create("{}");
        given().when().put("/v1/session/renew/" + noTtl).then().statusCode(200).body("[0].ID", equalTo(noTtl));
    }

    @Test
    void renewOfUnknownOrDestroyedSessionIs404() {
        given().when().put("/v1/session/renew/not-a-session").then().statusCode(404)
                .body(equalTo("Session id 'not-a-session' not found"));
        String id = Sessions.create("{}");
        given().when().put("/v1/session/destroy/" + id).then().statusCode(200).body(equalTo("true"));
        given().when().put("/v1/session/renew/" + id).then().statusCode(404)
                .body(equalTo("Session id '" + id + "' not found"));
    }

    @Test
    void destroyIsIdempotentAndRemovesTheSession() {
        String id = Sessions.create("{}");
        given().when().put("/v1/session/destroy/" + id).then().statusCode(200).body(equalTo("true"));
        given().when().put("/v1/session/destroy/" + id).then().statusCode(200).body(equalTo("true"));
        given().when().put("/v1/session/destroy/" + UUID.randomUUID()).then().statusCode(200).body(equalTo("true"));
        given().when().get("/v1/session/info/" + id).then().statusCode(200).body(equalTo("[]"));
        given().when().get("/v1/session/list").then().body("ID", not(hasItem(id)));
    }

    @Test
    void idsAreCaseInsensitive() {
        String id = Sessions.create("{}");
        given().when().get("/v1/session/info/" + id.toUpperCase()).then().body("[0].ID", equalTo(id));
    }

    @Test
    void infoOfUnknownSessionIsAnEmptyListWithAnIndex() {
        Response response = given().when().get("/v1/session/info/" + UUID.randomUUID());
        response.then().statusCode(200).body(equalTo("[]"));
        assertTrue(Long.parseLong(response.header("X-Consul-Index")) >= 1);
    }

    @Test
    void nodeAndListAreOrderedByIdAndFiltered() {
        String first = Sessions.create("{}");
        String second = Sessions.create("{}");
        List<String> byNode = given().when().get("/v1/session/node/" + NODE.toUpperCase())
                .then().statusCode(200).header("X-Consul-Index", notNullValue())
                .extract().jsonPath().getList("ID");
        assertTrue(byNode.containsAll(List.of(first, second)));
        assertEquals(byNode.stream().sorted().toList(), byNode);
        List<String> all = given().when().get("/v1/session/list").then().statusCode(200)
                .extract().jsonPath().getList("ID");
        assertEquals(all.stream().sorted().toList(), all);
        given().when().get("/v1/session/node/unknown-node").then().statusCode(200).body(equalTo("[]"));
    }

    @Test
    void indexGrowsWithEveryWriteAndNeverGoesBack() {
        long start = Long.parseLong(given().when().get("/v1/session/list").header("X-Consul-Index"));
        String id = Sessions.create("{}");
        long afterCreate = Long.parseLong(given().when().get("/v1/session/list").header("X-Consul-Index"));
        given().when().put("/v1/session/destroy/" + id).then().statusCode(200);
        long afterDestroy = Long.parseLong(given().when().get("/v1/session/list").header("X-Consul-Index"));
        assertTrue(start < afterCreate && afterCreate < afterDestroy, start + " < " + afterCreate + " < " + afterDestroy);
    }

    @Test
    void missingParametersAre400() {
        given().when().put("/v1/session/destroy/").then().statusCode(400).body(equalTo("Missing session"));
        given().when().put("/v1/session/renew/").then().statusCode(400).body(equalTo("Missing session"));
        given().when().get("/v1/session/info/").then().statusCode(400).body(equalTo("Missing session"));
        given().when().get("/v1/session/node/").then().statusCode(400).body(equalTo("Missing node name"));
    }

    @Test
    void datacenterAndNamespaceParameters() {
        given().when().get("/v1/session/list?dc=dc1").then().statusCode(200);
        given().when().get("/v1/session/list?dc=dc2").then().statusCode(400).body(equalTo("No path to datacenter"));
        given().when().put("/v1/session/create?dc=elsewhere").then().statusCode(400);
        given().when().get("/v1/session/list?ns=default").then().statusCode(200);
        given().when().get("/v1/session/list?ns=team").then().statusCode(400)
                .body(equalTo("Invalid query parameter: \"ns\" - Namespaces are a Consul Enterprise feature"));
        given().header("X-Consul-Namespace", "team").when().get("/v1/session/list").then().statusCode(400);
    }

    @Test
    void prettyPrintsWithFourSpacesAndANewline() {
        String id = Sessions.create("{\"NodeChecks\":[]}");
        String body = given().when().get("/v1/session/info/" + id + "?pretty").then().statusCode(200).extract().asString();
        assertTrue(body.startsWith("[\n    {\n        \"ID\": \"" + id + "\",\n"), body);
        assertTrue(body.contains("\"NodeChecks\": [],\n"), body);
        assertTrue(body.endsWith("}\n]\n"), body);
    }

    @Test
    void wrongMethodIs405WithConsulsAllowHeader() {
        given().when().post("/v1/session/create").then().statusCode(405)
                .header("Allow", "OPTIONS,PUT").body(equalTo("method POST not allowed"));
        given().when().put("/v1/session/list").then().statusCode(405)
                .header("Allow", "OPTIONS,GET").body(equalTo("method PUT not allowed"));
        given().when().get("/v1/session/renew/x").then().statusCode(405).header("Allow", "OPTIONS,PUT");
        given().when().options("/v1/session/info/x").then().statusCode(200).header("Allow", "OPTIONS,GET");
    }

    @Test
    void unknownPathsUnderV1Are404() {
        given().when().get("/v1/nothing/here").then().statusCode(404)
                .body(equalTo("Invalid URL path: not a recognized HTTP API endpoint\n"));
    }

    /** Announces a 2 MiB body without sending it: the server must refuse it from the headers alone. */
    @Test
    void bodiesOverTheTransportLimitAre413() throws Exception {
        try (Socket socket = new Socket(server.getHost(), server.getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("PUT /v1/session/create HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Length: 2097152\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String statusLine = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
            assertEquals("HTTP/1.1 413 Request Entity Too Large", statusLine);
        }
    }

    @Test
    void legacyChecksAreBoundNextToNodeChecks() {
        registerCheck("app-alive", "passing");
        String id = Sessions.create("{\"Checks\":[\"app-alive\"]}");
        given().when().get("/v1/session/info/" + id).then()
                .body("[0].Checks", contains("app-alive"))
                .body("[0].NodeChecks", contains("serfHealth"));
        String service = Sessions.create("{\"NodeChecks\":[],\"ServiceChecks\":[{\"ID\":\"app-alive\"}]}");
        given().when().get("/v1/session/info/" + service).then()
                .body("[0].ServiceChecks[0].ID", equalTo("app-alive"))
                .body("[0].ServiceChecks[0].Namespace", equalTo(""));
    }

    @Test
    void sessionsCannotBindToCriticalOrMissingChecks() {
        registerCheck("db-down", "critical");
        given().body("{\"Checks\":[\"db-down\"]}").when().put("/v1/session/create")
                .then().statusCode(409).body(equalTo("apply failed: Check 'db-down' is in critical state"));
        given().body("{\"Checks\":[\"nope\"]}").when().put("/v1/session/create")
                .then().statusCode(400).body(equalTo("apply failed: Missing check 'nope' registration"));
        registerCheck("disk-warn", "warning");
        Sessions.create("{\"Checks\":[\"disk-warn\"]}");
    }

    private static void registerCheck(String checkId, String status) {
        given().body("{\"Node\":\"" + NODE + "\",\"SkipNodeUpdate\":true,"
                        + "\"Check\":{\"CheckID\":\"" + checkId + "\",\"Status\":\"" + status + "\"}}")
                .when().put("/v1/catalog/register").then().statusCode(200);
    }
}
