package io.sessiond.acl;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

/** Under ACLs, an admin id with an escape that decodes to a character illegal in a URI is still just an id. */
@QuarkusTest
@TestProfile(AclDenyProfile.class)
class AdminEscapedIdAclTest extends DenyByDefaultAclTest {

    @Test
    void escapedIdsAreNotFoundForATokenThatMayReadThem() {
        for (String path : new String[]{"/v1/sessions/%25", "/sessions/%20", "/v1/services/%25", "/v1/admin/web-sessions/%25"}) {
            as(management).urlEncodingEnabled(false).when().get(path).then().statusCode(404)
                    .contentType("application/vnd.api+json").body("errors[0].status", equalTo("404"));
        }
    }

    @Test
    void anEscapedServiceNameIsCheckedAsDecoded() {
        given().urlEncodingEnabled(false).when().get("/v1/services/a%25b").then().statusCode(403)
                .contentType("application/vnd.api+json")
                .body("errors[0].detail", equalTo("Permission denied: token with AccessorID '" + ANONYMOUS
                        + "' lacks permission 'service:read' on \"a%b\""));
    }
}
