package io.sessiond.acl;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

/** With ACLs disabled (the default) tokens are not looked at, and the ACL API says it is off, as Consul does. */
@QuarkusTest
class AclDisabledTest {

    @Test
    void theAclApiAnswers401AndTokensAreIgnored() {
        given().when().put("/v1/acl/bootstrap").then().statusCode(401).body(equalTo("ACL support disabled"));
        given().when().get("/v1/acl/policies").then().statusCode(401).body(equalTo("ACL support disabled"));
        given().header("X-Consul-Token", UUID.randomUUID().toString()).body("v")
                .when().put("/v1/kv/acl-off/" + UUID.randomUUID()).then().statusCode(200).body(equalTo("true"));
    }
}
