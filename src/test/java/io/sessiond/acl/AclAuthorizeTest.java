package io.sessiond.acl;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.sessiond.testsupport.AclTokens;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Consul's {@code POST /v1/internal/acl/authorize}: what the web UI asks before it shows a write control. It
 * answers for the request's own token only, needs no permission, and refuses an unknown token.
 */
@QuarkusTest
@TestProfile(AclDenyProfile.class)
class AclAuthorizeTest extends DenyByDefaultAclTest {

    private static final String ASKED = """
            [{"Resource":"session","Segment":"sessiond-test","Access":"read"},
             {"Resource":"session","Segment":"sessiond-test","Access":"write"},
             {"Resource":"key","Segment":"app/config","Access":"write"},
             {"Resource":"key","Segment":"other","Access":"read"},
             {"Resource":"acl","Access":"read"},
             {"Resource":"web_session","Segment":"default","Access":"list"}]""";

    @Test
    void aReadOnlyTokenIsToldItMayReadButNotWrite() {
        String reader = AclTokens.withRules(management, "{\"session_prefix\":{\"\":{\"policy\":\"read\"}},"
                + "\"key_prefix\":{\"app/\":{\"policy\":\"write\"}},\"web_session\":{\"default\":{\"policy\":\"read\"}}}");
        JsonPath answer = as(reader).contentType(ContentType.JSON).body(ASKED)
                .when().post("/v1/internal/acl/authorize").then().statusCode(200).extract().jsonPath();
        assertEquals(List.of(true, false, true, false, false, true), answer.getList("Allow"));
        assertEquals("session", answer.getString("[1].Resource"));
        assertEquals("sessiond-test", answer.getString("[1].Segment"));
        assertEquals("write", answer.getString("[1].Access"));
    }

    @Test
    void managementMayDoEverythingAndTheAnonymousTokenNothing() {
        JsonPath managed = as(management).body(ASKED).when().post("/v1/internal/acl/authorize")
                .then().statusCode(200).extract().jsonPath();
        assertEquals(List.of(true, true, true, true, true, true), managed.getList("Allow"));
        JsonPath anonymous = given().body(ASKED).when().post("/v1/internal/acl/authorize")
                .then().statusCode(200).extract().jsonPath();
        assertEquals(List.of(false, false, false, false, false, false), anonymous.getList("Allow"));
    }

    @Test
    void badRequestsAndUnknownTokensAreRefused() {
        as(UUID.randomUUID().toString()).body(ASKED).when().post("/v1/internal/acl/authorize")
                .then().statusCode(403).body(equalTo("ACL not found"));
        as(management).body("{}").when().post("/v1/internal/acl/authorize").then().statusCode(400)
                .body(equalTo("Request decode failed: json: cannot unmarshal object into Go value of type "
                        + "[]structs.ACLAuthorizationRequest"));
        as(management).body("[{\"Resource\":\"bogus\",\"Access\":\"read\"}]").when().post("/v1/internal/acl/authorize")
                .then().statusCode(400).body(equalTo("Invalid request: unknown resource type \"bogus\""));
        as(management).body("[{\"Resource\":\"key\",\"Access\":\"all\"}]").when().post("/v1/internal/acl/authorize")
                .then().statusCode(400).body(equalTo("Invalid request: unknown access level \"all\""));
        as(management).when().get("/v1/internal/acl/authorize").then().statusCode(405);
    }
}
