package io.sessiond.acl;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Default policy allow, and the initial management token from the configuration. */
@QuarkusTest
@TestProfile(AclAllowProfile.class)
class AclAllowDefaultTest {

    @Inject
    DataSource database;

    @Test
    void theAnonymousTokenMayDoWhatNoRuleForbidsButNotManageAcls() {
        String key = "open-" + UUID.randomUUID();
        given().body("v").when().put("/v1/kv/" + key).then().statusCode(200).body(equalTo("true"));
        given().when().get("/v1/kv/" + key).then().statusCode(200);
        given().when().put("/v1/session/create").then().statusCode(200);
        given().when().get("/v1/acl/tokens").then().statusCode(403).body(equalTo(
                "Permission denied: token with AccessorID '00000000-0000-0000-0000-000000000002' lacks permission 'acl:read'"));
        given().header("X-Consul-Token", "not-a-token").when().get("/v1/kv/" + key)
                .then().statusCode(403).body(equalTo("ACL not found"));
    }

    @Test
    void aDenyRuleStillDeniesUnderDefaultAllow() {
        String management = AclAllowProfile.INITIAL_MANAGEMENT_TOKEN;
        String name = "deny-" + UUID.randomUUID().toString().substring(0, 8);
        given().header("X-Consul-Token", management)
                .body("{\"Name\":\"" + name + "\",\"Rules\":\"{\\\"key_prefix\\\":{\\\"closed/\\\":{\\\"policy\\\":\\\"deny\\\"}}}\"}")
                .when().put("/v1/acl/policy").then().statusCode(200);
        String token = given().header("X-Consul-Token", management)
                .body("{\"Policies\":[{\"Name\":\"" + name + "\"}]}")
                .when().put("/v1/acl/token").then().statusCode(200).extract().path("SecretID");
        given().header("X-Consul-Token", token).body("v").when().put("/v1/kv/open/x").then().statusCode(200);
        given().header("X-Consul-Token", token).body("v").when().put("/v1/kv/closed/x").then().statusCode(403);
    }

    @Test
    void theInitialManagementTokenIsCreatedAtStartUpAndStoredHashed() throws Exception {
        String management = AclAllowProfile.INITIAL_MANAGEMENT_TOKEN;
        String accessor = given().header("X-Consul-Token", management).when().get("/v1/acl/token/self")
                .then().statusCode(200)
                .body("Description", equalTo("Initial Management Token"))
                .body("Policies.Name", hasItem("global-management"))
                .extract().path("AccessorID");
        given().header("X-Consul-Token", management).when().get("/v1/acl/tokens")
                .then().statusCode(200).body("AccessorID", hasItem(accessor));
        try (Connection connection = database.getConnection();
             PreparedStatement row = connection.prepareStatement("SELECT count(*) FROM acl_tokens WHERE secret_hash = ?")) {
            row.setBytes(1, MessageDigest.getInstance("SHA-256").digest(management.getBytes(StandardCharsets.UTF_8)));
            try (ResultSet result = row.executeQuery()) {
                assertTrue(result.next());
                assertEquals(1, result.getLong(1));
            }
        }
        given().when().put("/v1/acl/bootstrap").then().statusCode(403);
    }
}
