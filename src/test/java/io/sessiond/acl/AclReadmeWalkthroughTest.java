package io.sessiond.acl;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.sessiond.testsupport.AclTokens;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;

/**
 * The walk-through of docs/acl.md, step by step with the same requests as its curl commands: bootstrap,
 * a policy for {@code service/leader}, a token for the app, the app takes the lock, another token is refused.
 */
@QuarkusTest
@TestProfile(AclDenyProfile.class)
class AclReadmeWalkthroughTest {

    @Inject
    DataSource database;

    @Test
    void theReadmeWalkthroughWorks() {
        AclTokens.reset(database);

        // curl -X PUT localhost:8500/v1/acl/bootstrap
        String management = given().when().put("/v1/acl/bootstrap")
                .then().statusCode(200)
                .body("Description", equalTo("Bootstrap Token (Global Management)"))
                .body("Policies[0].Name", equalTo("global-management"))
                .extract().path("SecretID");
        AclTokens.useManagement(management);

        // curl -X PUT localhost:8500/v1/acl/policy -H "X-Consul-Token: $MGMT" -d '...'
        given().header("X-Consul-Token", management)
                .body("{\"Name\":\"leader-election\",\"Description\":\"take the service/leader lock\","
                        + "\"Rules\":\"{\\\"key\\\":{\\\"service/leader\\\":{\\\"policy\\\":\\\"write\\\"}},"
                        + "\\\"session_prefix\\\":{\\\"\\\":{\\\"policy\\\":\\\"write\\\"}}}\"}")
                .when().put("/v1/acl/policy")
                .then().statusCode(200).body("Name", equalTo("leader-election"));

        // curl -X PUT localhost:8500/v1/acl/token -H "X-Consul-Token: $MGMT" -d '...'
        String app = given().header("X-Consul-Token", management)
                .body("{\"Description\":\"app-1\",\"Policies\":[{\"Name\":\"leader-election\"}]}")
                .when().put("/v1/acl/token")
                .then().statusCode(200).body("Policies[0].Name", equalTo("leader-election"))
                .extract().path("SecretID");
        var other = given().header("X-Consul-Token", management)
                .body("{\"Description\":\"another app\"}")
                .when().put("/v1/acl/token")
                .then().statusCode(200).body("$", not(hasKey("Policies")))
                .extract();
        String otherSecret = other.path("SecretID");

        // The app creates a session and takes the lock.
        String session = given().header("X-Consul-Token", app).body("{\"TTL\":\"15s\"}")
                .when().put("/v1/session/create")
                .then().statusCode(200).extract().path("ID");
        given().header("X-Consul-Token", app).body("app-1")
                .when().put("/v1/kv/service/leader?acquire=" + session)
                .then().statusCode(200).body(equalTo("true"));

        // Another token can neither release it nor take it; without a token nothing is readable.
        String refusal = "Permission denied: token with AccessorID '" + other.path("AccessorID")
                + "' lacks permission 'key:write' on \"service/leader\"";
        given().header("X-Consul-Token", otherSecret).body("other")
                .when().put("/v1/kv/service/leader?release=" + session)
                .then().statusCode(403).body(equalTo(refusal));
        given().header("X-Consul-Token", otherSecret).body("other")
                .when().put("/v1/kv/service/leader?acquire=" + session)
                .then().statusCode(403).body(equalTo(refusal));
        given().when().get("/v1/kv/service/leader")
                .then().statusCode(403).body(equalTo("Permission denied: token with AccessorID "
                        + "'00000000-0000-0000-0000-000000000002' lacks permission 'key:read' on \"service/leader\""));

        // The lock is still the app's.
        given().header("X-Consul-Token", app).when().get("/v1/kv/service/leader")
                .then().statusCode(200).body("[0].Session", equalTo(session));
    }
}
