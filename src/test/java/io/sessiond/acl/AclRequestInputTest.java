package io.sessiond.acl;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;

import static io.restassured.RestAssured.given;
import static io.sessiond.testsupport.Names.unique;
import static io.sessiond.testsupport.Sql.count;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * ACL requests refused before anything is written: text PostgreSQL cannot store in a policy or token,
 * rules with anything after their JSON, and path parameters that are not what was sent. Consul's 400,
 * plain text, naming the field; the ACL tables are as before.
 */
@QuarkusTest
@TestProfile(AclDenyProfile.class)
class AclRequestInputTest extends DenyByDefaultAclTest {

    private RequestSpecification manage() {
        return as(management).contentType(ContentType.JSON);
    }

    @Test
    void nulInAPolicyIsRefusedNamingTheField() throws SQLException {
        String name = unique("nul");
        manage().body("{\"Name\":\"" + name + "\",\"Description\":\"a\\u0000b\"}").when().put("/v1/acl/policy")
                .then().statusCode(400).contentType(startsWith("text/plain"))
                .body(equalTo("Invalid request body: Description must not contain the character U+0000"));
        manage().body("{\"Name\":\"" + name + "\\u0000\"}").when().put("/v1/acl/policy")
                .then().statusCode(400)
                .body(equalTo("Invalid request body: Name must not contain the character U+0000"));
        manage().body("{\"Name\":\"" + name + "\",\"Rules\":\"{\\\"acl\\\":\\\"read\\\"}x\"}").when().put("/v1/acl/policy")
                .then().statusCode(400)
                .body(equalTo("Failed to parse policy: rules are not JSON: unexpected 'x' after the JSON value"));
        assertEquals(0, count(database, "SELECT count(*) FROM acl_policies WHERE starts_with(name, ?)", name));
        given().urlEncodingEnabled(false).header("X-Consul-Token", management).when().get("/v1/acl/policy/a%00b")
                .then().statusCode(400).body(equalTo("Invalid path parameter: policy ID must not contain the character U+0000"));
        given().urlEncodingEnabled(false).header("X-Consul-Token", management).when().get("/v1/acl/policy/name/a%00b")
                .then().statusCode(400);
        given().urlEncodingEnabled(false).header("X-Consul-Token", management).when().delete("/v1/acl/token/%FF")
                .then().statusCode(400);
    }

    @Test
    void nulInATokenIsRefusedNamingTheField() throws SQLException {
        String description = unique("nul");
        manage().body("{\"Description\":\"" + description + "\\u0000\"}").when().put("/v1/acl/token")
                .then().statusCode(400)
                .body(equalTo("Invalid request body: Description must not contain the character U+0000"));
        manage().body("{\"Description\":\"" + description + "\",\"Policies\":[{\"Name\":\"\\ud800\"}]}")
                .when().put("/v1/acl/token")
                .then().statusCode(400)
                .body(equalTo("Invalid request body: Policies[0].Name must not contain a lone surrogate (U+D800)"));
        assertEquals(0, count(database, "SELECT count(*) FROM acl_tokens WHERE starts_with(description, ?)", description));
    }

    @Test
    void aKvKeyWithASemicolonIsAuthorizedAsTheKeyWritten() {
        String prefix = unique("semi");
        String rules = "{\"key\":{\"" + prefix + "/app\":{\"policy\":\"write\"}}}";
        String policy = manage().body("{\"Name\":\"" + prefix + "\",\"Rules\":" + quoted(rules) + "}")
                .when().put("/v1/acl/policy").then().statusCode(200).extract().path("ID");
        String secret = manage().body("{\"Policies\":[{\"ID\":\"" + policy + "\"}]}")
                .when().put("/v1/acl/token").then().statusCode(200).extract().path("SecretID");
        given().urlEncodingEnabled(false).header("X-Consul-Token", secret).body("v")
                .when().put("/v1/kv/" + prefix + "/app").then().statusCode(200);
        // Another key than the one the token may write: refused, not written as "<prefix>/app".
        given().urlEncodingEnabled(false).header("X-Consul-Token", secret).body("v")
                .when().put("/v1/kv/" + prefix + "/app;v=2").then().statusCode(403);
    }

    private static String quoted(String json) {
        return "\"" + json.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
