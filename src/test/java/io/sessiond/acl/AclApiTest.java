package io.sessiond.acl;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.sessiond.testsupport.AclTokens;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static io.sessiond.testsupport.Names.unique;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Consul's /v1/acl API: bootstrap, policies and tokens, their shapes and errors, and how secrets are kept. */
@QuarkusTest
@TestProfile(AclDenyProfile.class)
class AclApiTest {

    private static final String UUID_PATTERN = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

    @Inject
    DataSource database;

    private String management;

    @BeforeEach
    void managementToken() {
        management = AclTokens.management(database);
    }

    private RequestSpecification manage() {
        return given().header("X-Consul-Token", management).contentType(ContentType.JSON);
    }

    @Test
    void bootstrapHappensOnlyOnce() {
        AclTokens.reset(database);
        String secret = given().when().put("/v1/acl/bootstrap").then().statusCode(200)
                .body("AccessorID", matchesPattern(UUID_PATTERN))
                .body("SecretID", matchesPattern(UUID_PATTERN))
                .body("Policies[0].ID", equalTo("00000000-0000-0000-0000-000000000001"))
                .extract().path("SecretID");
        AclTokens.useManagement(secret);
        long bootstrapIndex = given().header("X-Consul-Token", secret).when().get("/v1/acl/token/self")
                .then().statusCode(200).extract().jsonPath().getLong("CreateIndex");
        given().when().put("/v1/acl/bootstrap").then().statusCode(403)
                .body(equalTo("Permission denied: ACL bootstrap no longer allowed (reset index: " + bootstrapIndex + ")"));
        given().header("X-Consul-Token", secret).when().put("/v1/acl/bootstrap").then().statusCode(403);
    }

    @Test
    void policiesAreCreatedReadUpdatedListedAndDeleted() {
        String name = unique("policy");
        String rules = "{\"key_prefix\":{\"app/\":{\"policy\":\"write\"}}}";
        String id = manage().body(Map.of("Name", name, "Description", "first", "Rules", rules))
                .when().put("/v1/acl/policy")
                .then().statusCode(200)
                .body("ID", matchesPattern(UUID_PATTERN)).body("Name", equalTo(name)).body("Rules", equalTo(rules))
                .body("CreateIndex", greaterThan(1))
                .extract().path("ID");
        manage().when().get("/v1/acl/policy/" + id).then().statusCode(200).body("Description", equalTo("first"));
        manage().when().get("/v1/acl/policy/name/" + name).then().statusCode(200).body("ID", equalTo(id));
        long created = manage().when().get("/v1/acl/policy/" + id).then().extract().jsonPath().getLong("CreateIndex");
        manage().body(Map.of("Name", name, "Description", "second", "Rules", rules))
                .when().put("/v1/acl/policy/" + id)
                .then().statusCode(200).body("Description", equalTo("second"))
                .body("ModifyIndex", greaterThan((int) created));
        manage().when().get("/v1/acl/policies").then().statusCode(200)
                .body("Name", hasItem(name)).body("[0]", not(hasKey("Rules")));
        manage().when().delete("/v1/acl/policy/" + id).then().statusCode(200).body(equalTo("true"));
        manage().when().get("/v1/acl/policy/" + id).then().statusCode(403).body(equalTo("ACL not found"));
    }

    @Test
    void badPoliciesAreRefusedWithReasons() {
        manage().body(Map.of("Rules", "")).when().put("/v1/acl/policy")
                .then().statusCode(400).body(equalTo("Invalid Policy: no Name is set"));
        manage().body(Map.of("Name", "bad name")).when().put("/v1/acl/policy")
                .then().statusCode(400).body(equalTo(
                        "Invalid Policy: invalid Name. Only alphanumeric characters, '-' and '_' are allowed"));
        manage().body(Map.of("Name", unique("p"), "Rules", "{\"key_prefix\":{\"a/\":{\"policy\":\"own\"}}}"))
                .when().put("/v1/acl/policy")
                .then().statusCode(400).body(equalTo("Failed to parse policy: invalid policy \"own\" for key_prefix \"a/\""));
        manage().body(Map.of("Name", unique("p"), "Rules", "{\"kv\":{}}")).when().put("/v1/acl/policy")
                .then().statusCode(400).body(equalTo("Failed to parse policy: unknown rule \"kv\""));
        manage().body(Map.of("Name", "global-management")).when().put("/v1/acl/policy")
                .then().statusCode(409).body(equalTo("Invalid Policy: A Policy with Name \"global-management\" already exists"));
        manage().body(Map.of("Name", "global-management", "Rules", ""))
                .when().put("/v1/acl/policy/00000000-0000-0000-0000-000000000001")
                .then().statusCode(400).body(equalTo("Changing the Rules for the builtin global-management policy is not permitted"));
        manage().when().delete("/v1/acl/policy/00000000-0000-0000-0000-000000000001")
                .then().statusCode(400).body(equalTo("Delete operation not permitted on the builtin global-management policy"));
        manage().body(Map.of("Description", "x", "Policies", java.util.List.of(Map.of("Name", "no-such-policy"))))
                .when().put("/v1/acl/token")
                .then().statusCode(400).body(equalTo("No such ACL policy with name \"no-such-policy\""));
    }

    @Test
    void tokensAreCreatedReadUpdatedListedAndDeleted() {
        String name = unique("policy");
        String policyId = AclTokens.policy(management, name, "");
        var created = manage().body(Map.of("Description", "worker", "Policies", java.util.List.of(Map.of("ID", policyId))))
                .when().put("/v1/acl/token")
                .then().statusCode(200)
                .body("Description", equalTo("worker"))
                .body("Policies[0].ID", equalTo(policyId)).body("Policies[0].Name", equalTo(name))
                .body("Local", equalTo(false))
                .extract();
        String accessor = created.path("AccessorID");
        String secret = created.path("SecretID");
        given().header("X-Consul-Token", secret).when().get("/v1/acl/token/self").then().statusCode(200)
                .body("AccessorID", equalTo(accessor)).body("$", not(hasKey("SecretID")));
        manage().when().get("/v1/acl/token/" + accessor).then().statusCode(200)
                .body("Description", equalTo("worker")).body("$", not(hasKey("SecretID")));
        manage().body(Map.of("Description", "renamed")).when().put("/v1/acl/token/" + accessor)
                .then().statusCode(200).body("Description", equalTo("renamed")).body("$", not(hasKey("Policies")));
        manage().body(Map.of("SecretID", UUID.randomUUID().toString())).when().put("/v1/acl/token/" + accessor)
                .then().statusCode(400).body(equalTo("Changing a tokens SecretID is not permitted"));
        manage().when().get("/v1/acl/tokens").then().statusCode(200)
                .body("AccessorID", hasItem(accessor)).body("SecretID", not(hasItem(secret)));
        manage().when().delete("/v1/acl/token/" + accessor).then().statusCode(200).body(equalTo("true"));
        manage().when().get("/v1/acl/token/" + accessor).then().statusCode(403).body(equalTo("ACL not found"));
        given().header("X-Consul-Token", secret).when().get("/v1/acl/token/self").then().statusCode(403)
                .body(equalTo("ACL not found"));
        manage().when().delete("/v1/acl/token/00000000-0000-0000-0000-000000000002")
                .then().statusCode(400).body(equalTo("Delete operation not permitted on the anonymous token"));
    }

    @Test
    void aSecretIsStoredOnlyAsItsSha256() throws Exception {
        var created = manage().body(Map.of("Description", "hashed")).when().put("/v1/acl/token")
                .then().statusCode(200).extract();
        String accessor = created.path("AccessorID");
        String secret = created.path("SecretID");
        try (Connection connection = database.getConnection();
             PreparedStatement row = connection.prepareStatement(
                     "SELECT secret_hash, t::text FROM acl_tokens t WHERE accessor_id = ?::uuid")) {
            row.setString(1, accessor);
            try (ResultSet result = row.executeQuery()) {
                assertTrue(result.next());
                assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)),
                        result.getBytes(1));
                assertTrue(!result.getString(2).contains(secret), "the row holds no plain secret");
            }
        }
        try (Connection connection = database.getConnection();
             PreparedStatement anywhere = connection.prepareStatement("SELECT count(*) FROM acl_tokens t, acl_policies p "
                     + "WHERE t::text LIKE '%' || ? || '%' OR p::text LIKE '%' || ? || '%'")) {
            anywhere.setString(1, secret);
            anywhere.setString(2, secret);
            try (ResultSet result = anywhere.executeQuery()) {
                assertTrue(result.next());
                assertEquals(0, result.getLong(1));
            }
        }
    }

    @Test
    void aclIdsInBodyAndPathMustAgree() {
        manage().body(Map.of("ID", UUID.randomUUID().toString(), "Name", unique("p"))).when().put("/v1/acl/policy")
                .then().statusCode(400).body(equalTo("Cannot specify the ID when creating a new policy"));
        manage().body(Map.of("AccessorID", UUID.randomUUID().toString())).when().put("/v1/acl/token/" + UUID.randomUUID())
                .then().statusCode(400).body(equalTo("Token Accessor ID in URL and payload do not match"));
    }
}
