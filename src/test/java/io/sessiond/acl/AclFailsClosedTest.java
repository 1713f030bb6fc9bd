package io.sessiond.acl;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

/**
 * Requests that reach a resource method by a path the old route tables did not list were let through
 * unchecked: {@code /v1/kv} without its slash reaches the KV methods with the empty key, so an anonymous
 * {@code DELETE /v1/kv?recurse} deleted every key. The permission is now the method's own, whatever the path,
 * and that path is refused before any permission is looked at: it names no key (Consul's router would redirect
 * it to {@code /v1/kv/}).
 */
@QuarkusTest
@TestProfile(AclDenyProfile.class)
class AclFailsClosedTest extends DenyByDefaultAclTest {

    @Test
    void theKvRootWithoutItsSlashChangesNothing() {
        String key = "fails-closed-" + UUID.randomUUID();
        as(management).body("kept").when().put("/v1/kv/" + key).then().statusCode(200);

        given().when().delete("/v1/kv?recurse").then().statusCode(400)
                .body(equalTo("Invalid URL path: /v1/kv is not in canonical form"));
        given().body("x").when().put("/v1/kv").then().statusCode(400);
        given().when().delete("/v1/kv/?recurse").then().statusCode(403)
                .body(startsWith("Permission denied: token with AccessorID '" + ANONYMOUS + "' lacks permission 'key:write'"));

        as(management).when().get("/v1/kv/" + key + "?raw").then().statusCode(200).body(equalTo("kept"));
    }
}
