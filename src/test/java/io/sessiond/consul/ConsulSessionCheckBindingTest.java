package io.sessiond.consul;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.sessiond.catalog.HealthCheck;
import io.sessiond.testsupport.Sessions;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

/**
 * Sessions bound to health checks. The API has no endpoint that registers a check yet, so these tests
 * store checks in-process; that keeps them on the JVM test side only ({@link ConsulSessionResourceIT}
 * drives the packaged artifact over HTTP alone).
 */
@QuarkusTest
class ConsulSessionCheckBindingTest {

    private static final String NODE = "sessiond-test";

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
        QuarkusTransaction.requiringNew().run(() -> {
            HealthCheck check = HealthCheck.find("node = ?1 and checkId = ?2", NODE, checkId).firstResult();
            if (check == null) {
                check = new HealthCheck();
                check.node = NODE;
                check.checkId = checkId;
                check.name = checkId;
            }
            check.status = status;
            check.persist();
        });
    }
}
