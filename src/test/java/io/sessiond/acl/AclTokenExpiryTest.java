package io.sessiond.acl;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Consul's token expiry: ExpirationTTL or ExpirationTime on create, within the configured bounds (the test
 * profile's minimum is 1s, the maximum Consul's 24h), shown in reads, never changed by an update; an expired
 * token is not found anywhere, and the sweeper removes its row. Also Consul's UUID checks on token ids.
 */
@QuarkusTest
@TestProfile(AclDenyProfile.class)
class AclTokenExpiryTest extends DenyByDefaultAclTest {

    @Inject
    AclTokenSweeper sweeper;

    @Inject
    AclService acl;

    private RequestSpecification manage() {
        return as(management).contentType(ContentType.JSON);
    }

    @Test
    void aTokenWithATtlExpiresAndIsThenNotFoundAnywhereUntilTheSweeperRemovesIt() throws Exception {
        var created = manage().body(Map.of("Description", "short-lived", "ExpirationTTL", "1s"))
                .when().put("/v1/acl/token").then().statusCode(200)
                .body("$", not(hasKey("ExpirationTTL")))
                .extract();
        String accessor = created.path("AccessorID");
        String secret = created.path("SecretID");
        Instant createTime = Instant.parse(created.path("CreateTime"));
        Instant expirationTime = Instant.parse(created.path("ExpirationTime"));
        assertEquals(Duration.ofSeconds(1), Duration.between(createTime, expirationTime));

        sweeper.pause();
        try {
            as(management).when().get("/v1/acl/token/" + accessor).then().statusCode(200)
                    .body("ExpirationTime", equalTo(created.path("ExpirationTime")));
            as(management).when().get("/v1/acl/tokens").then().statusCode(200).body("AccessorID", hasItem(accessor));
            awaitPast(expirationTime);

            as(secret).when().get("/v1/acl/token/self").then().statusCode(403).body(equalTo("ACL not found"));
            as(secret).when().get("/v1/kv/anything").then().statusCode(403).body(equalTo("ACL not found"));
            as(secret).when().get("/v1/sessions").then().statusCode(403);
            as(management).when().get("/v1/acl/token/" + accessor).then().statusCode(403).body(equalTo("ACL not found"));
            as(management).when().get("/v1/acl/tokens").then().statusCode(200)
                    .body("AccessorID", not(hasItem(accessor)));
            manage().body(Map.of("Description", "revived")).when().put("/v1/acl/token/" + accessor)
                    .then().statusCode(404).body(equalTo("Cannot find token \"" + accessor + "\""));
            assertTrue(rowExists(accessor), "paused, the sweeper has not removed the expired row");
        } finally {
            sweeper.resume();
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (rowExists(accessor) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertFalse(rowExists(accessor), "the sweeper removed the expired token");
    }

    /** The initial management token is made at start-up even when an expired, not yet swept token held its secret. */
    @Test
    void anExpiredTokenDoesNotKeepTheInitialManagementTokenFromBeingMade() throws Exception {
        String secret = UUID.randomUUID().toString();
        Instant expirationTime = Instant.parse(manage().body(Map.of("SecretID", secret, "ExpirationTTL", "1s"))
                .when().put("/v1/acl/token").then().statusCode(200).extract().path("ExpirationTime"));
        sweeper.pause();
        try {
            awaitPast(expirationTime);
            acl.ensureManagementToken(secret);
            as(secret).when().get("/v1/acl/token/self").then().statusCode(200)
                    .body("Description", equalTo("Initial Management Token"));
        } finally {
            sweeper.resume();
        }
    }

    @Test
    void anExpirationTimeIsKeptAndShownAndCannotBeChanged() {
        String expiration = Instant.now().plus(Duration.ofMinutes(10)).truncatedTo(ChronoUnit.SECONDS).toString();
        String accessor = manage().body(Map.of("Description", "until", "ExpirationTime", expiration))
                .when().put("/v1/acl/token").then().statusCode(200)
                .body("ExpirationTime", equalTo(expiration))
                .extract().path("AccessorID");
        as(management).when().get("/v1/acl/token/" + accessor).then().statusCode(200)
                .body("ExpirationTime", equalTo(expiration));
        as(management).when().get("/v1/acl/tokens").then().statusCode(200)
                .body("find { it.AccessorID == '" + accessor + "' }.ExpirationTime", equalTo(expiration));

        String cannotChange = "Cannot change expiration time of " + accessor;
        manage().body(Map.of("ExpirationTTL", "5m")).when().put("/v1/acl/token/" + accessor)
                .then().statusCode(400).body(equalTo(cannotChange));
        String later = Instant.parse(expiration).plusSeconds(60).toString();
        manage().body(Map.of("ExpirationTime", later)).when().put("/v1/acl/token/" + accessor)
                .then().statusCode(400).body(equalTo(cannotChange));
        manage().body(Map.of("Description", "same", "ExpirationTime", expiration)).when().put("/v1/acl/token/" + accessor)
                .then().statusCode(200).body("ExpirationTime", equalTo(expiration)).body("Description", equalTo("same"));
        manage().body(Map.of("Description", "kept")).when().put("/v1/acl/token/" + accessor)
                .then().statusCode(200).body("ExpirationTime", equalTo(expiration));

        String forever = manage().body(Map.of("Description", "forever")).when().put("/v1/acl/token")
                .then().statusCode(200).body("$", not(hasKey("ExpirationTime"))).extract().path("AccessorID");
        manage().body(Map.of("ExpirationTime", expiration)).when().put("/v1/acl/token/" + forever)
                .then().statusCode(400).body(equalTo("Cannot change expiration time of " + forever));
    }

    @Test
    void expirationsOutsideTheBoundsAreRefusedWithConsulsText() {
        refused(Map.of("ExpirationTTL", "10m", "ExpirationTime", Instant.now().plusSeconds(600).toString()),
                "Token Expiration TTL and Expiration Time cannot both be set");
        refused(Map.of("ExpirationTTL", "-5s"), "Token Expiration TTL '-5s' should be > 0");
        refused(Map.of("ExpirationTTL", "48h"), "ExpirationTime cannot be more than 24h0m0s in the future (was 48h0m0s)");
        refused(Map.of("ExpirationTTL", "250ms"), "ExpirationTime cannot be less than 1s in the future (was 250ms)");
        refused(Map.of("ExpirationTime", Instant.now().minusSeconds(60).toString()),
                "ExpirationTime cannot be before CreateTime");
        refused(Map.of("ExpirationTTL", "soon"), "Request decode failed: time: invalid duration \"soon\"");
        refused(Map.of("ExpirationTime", "tomorrow"),
                "Request decode failed: parsing time \"tomorrow\" as \"2006-01-02T15:04:05Z07:00\"");
        // A TTL as a JSON number is nanoseconds, as Go decodes a time.Duration.
        manage().body(Map.of("ExpirationTTL", Duration.ofMinutes(5).toNanos())).when().put("/v1/acl/token")
                .then().statusCode(200);
    }

    @Test
    void tokenIdsMustBeUuids() {
        refused(Map.of("SecretID", "my-secret"), "Invalid Token: SecretID is not a valid UUID");
        // java.util.UUID would read this as 00000001-0001-0001-0001-000000000001; Consul's parser does not.
        refused(Map.of("AccessorID", "1-1-1-1-1"), "Invalid Token: AccessorID is not a valid UUID");
        refused(Map.of("SecretID", "1-1-1-1-1"), "Invalid Token: SecretID is not a valid UUID");
        manage().body(Map.of("Description", "x")).when().put("/v1/acl/token/not-a-uuid")
                .then().statusCode(400).body(equalTo("AccessorID is not a valid UUID"));
        as(management).when().delete("/v1/acl/token/not-a-uuid")
                .then().statusCode(400).body(equalTo("Accessor ID is missing or an invalid UUID"));
        as(management).when().get("/v1/acl/token/not-a-uuid").then().statusCode(403).body(equalTo("ACL not found"));

        String accessor = UUID.randomUUID().toString();
        String secret = UUID.randomUUID().toString();
        manage().body(Map.of("AccessorID", accessor, "SecretID", secret)).when().put("/v1/acl/token")
                .then().statusCode(200).body("AccessorID", equalTo(accessor)).body("SecretID", equalTo(secret));
    }

    private void refused(Map<String, ?> body, String message) {
        int before = tokenCount();
        manage().body(body).when().put("/v1/acl/token").then().statusCode(400).body(equalTo(message));
        assertEquals(before, tokenCount(), "a refused create stores nothing");
    }

    private static void awaitPast(Instant instant) throws InterruptedException {
        while (Instant.now().isBefore(instant.plusMillis(50))) {
            Thread.sleep(50);
        }
    }

    private boolean rowExists(String accessor) throws Exception {
        try (Connection connection = database.getConnection();
             PreparedStatement row = connection.prepareStatement("SELECT 1 FROM acl_tokens WHERE accessor_id = ?::uuid")) {
            row.setString(1, accessor);
            try (ResultSet result = row.executeQuery()) {
                return result.next();
            }
        }
    }

    private int tokenCount() {
        try (Connection connection = database.getConnection();
             PreparedStatement count = connection.prepareStatement("SELECT count(*) FROM acl_tokens");
             ResultSet result = count.executeQuery()) {
            result.next();
            return result.getInt(1);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
