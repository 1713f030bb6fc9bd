package io.sessiond.http;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

/**
 * The web UI's files over HTTP (HTTP only, so that {@link WebUiFilesIT} checks the packaged artifact, the native
 * executable included, serves them too): public, revalidated, never framed, and nothing but them gets these headers.
 */
@QuarkusTest
class WebUiFilesTest {

    @Test
    void theUiIsServedWithItsPageHeaders() {
        given().redirects().follow(false).when().get("/ui").then().statusCode(308).header("Location", "/ui/");
        given().redirects().follow(false).when().get("/ui?x=1").then().statusCode(308).header("Location", "/ui/?x=1");
        given().when().get("/ui/").then().statusCode(200).contentType(startsWith("text/html"))
                .body(containsString("<script type=\"module\" src=\"app.js\"></script>"))
                .header("Cache-Control", "no-cache")
                .header("Content-Security-Policy", equalTo(WebUi.CONTENT_SECURITY_POLICY))
                .header("X-Frame-Options", "DENY")
                .header("X-Content-Type-Options", "nosniff");
        for (String file : List.of("app.js", "api.js", "dom.js", "sessions.js", "kv.js", "nodes.js", "websessions.js", "acl.js")) {
            Response js = given().when().get("/ui/" + file);
            js.then().statusCode(200).contentType(startsWith("text/javascript")).header("Cache-Control", "no-cache");
        }
        given().when().get("/ui/ui.css").then().statusCode(200).contentType(startsWith("text/css"));
    }

    @Test
    void aMissingFileIsA404AndTheApisKeepTheirHeaders() {
        given().when().get("/ui/nothing.js").then().statusCode(404);
        given().when().get("/v1/status/leader").then().statusCode(200)
                .header("Content-Security-Policy", nullValue()).header("X-Frame-Options", nullValue());
        given().when().get("/uix").then().statusCode(404).header("Content-Security-Policy", nullValue());
    }
}
