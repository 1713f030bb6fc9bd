package io.sessiond.operations;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

/** The probes of a running instance; the readiness's fall and return with the database is {@code OperationsIT}'s. */
@QuarkusTest
class HealthTest {

    @Test
    void liveReadyAndStartedWithWhatEachChecked() {
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.find { it.name == 'http' }.status", equalTo("UP"));
        given().get("/q/health/started").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.find { it.name == 'node' }.data.node", equalTo("sessiond-test"));
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.find { it.name == 'database' }.data.schema", equalTo("current"))
                .body("checks.find { it.name == 'instance' }.data.changeListener", equalTo("connected"))
                .body("checks.find { it.name == 'instance' }.data.heartbeat", equalTo("recent"))
                .body("checks.find { it.name == 'instance' }.data.node", equalTo("sessiond-test"));
    }
}
