package io.sessiond.websession;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.filter.cookie.CookieFilter;
import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.sessiond.testsupport.CookieSignatures;
import io.sessiond.testsupport.WebSessions;
import io.sessiond.testsupport.Waits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code /v1/web-sessions} black-box over HTTP, so that {@link WebSessionResourceIT} runs the same checks
 * against the packaged artifact. The store has the test profile's configuration: default cookie attributes,
 * two signing secrets (newest first), data in clear.
 */
@QuarkusTest
class WebSessionResourceTest {

    /** The test profile's {@code sessiond.web.signing-secrets} (application.properties), newest first. */
    private static final String NEWEST_SECRET = "test-secret-newest-not-a-secret";
    private static final String OLDER_SECRET = "test-secret-older-not-a-secret";
    private static final String COOKIE = "sessiond.id";

    @Test
    void loginReadUpdateLogoutWithTheCookie() {
        CookieFilter browser = new CookieFilter();

        // Login: the answer sets the cookie, and carries the same value for applications that relay it.
        ExtractableResponse<Response> login = given().filter(browser).contentType(ContentType.JSON)
                .body("{\"data\":{\"user\":\"alice\"}}")
                .when().post("/v1/web-sessions")
                .then().statusCode(201)
                .header("ETag", "\"1\"")
                .body("data.user", equalTo("alice"))
                .body("version", equalTo(1))
                .extract();
        String id = login.path("id");
        assertEquals(login.path("cookie"), login.cookie(COOKIE));
        assertTrue(login.header("Location").endsWith("/v1/web-sessions/" + id), login.header("Location"));

        // Read: the browser's cookie alone finds the session.
        String etag = given().filter(browser)
                .when().get("/v1/web-sessions/current")
                .then().statusCode(200)
                .body("id", equalTo(id))
                .body("data.user", equalTo("alice"))
                .extract().header("ETag");

        // Update with the version read.
        given().filter(browser).header("If-Match", etag).contentType(ContentType.JSON)
                .body("{\"data\":{\"user\":\"alice\",\"cart\":[\"book\"]}}")
                .when().put("/v1/web-sessions/" + id)
                .then().statusCode(200)
                .header("ETag", "\"2\"")
                .body("version", equalTo(2));
        given().filter(browser)
                .when().get("/v1/web-sessions/current")
                .then().statusCode(200)
                .body("data.cart", contains("book"))
                .body("last_accessed", notNullValue());

        // Logout: the session is gone and the browser drops its cookie.
        given().filter(browser)
                .when().delete("/v1/web-sessions/" + id)
                .then().statusCode(204)
                .header("Set-Cookie", equalTo(COOKIE + "=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; "
                        + "Path=/; HttpOnly; SameSite=Lax"));
        given().filter(browser)
                .when().get("/v1/web-sessions/current")
                .then().statusCode(404)
                .body("errors[0].detail", equalTo("No web session: no validly signed session cookie"));
        given().when().get("/v1/web-sessions/" + id).then().statusCode(404);
    }

    /**
     * The signed cookie is a bearer credential: a reader of a session (by id, as the admin API lists them, or
     * by cookie) must not get one, nor must a write that issues none. Only create, invalidate and regenerate
     * hand it out.
     */
    @Test
    void onlyTheCallsThatIssueACookieReturnIt() {
        ExtractableResponse<Response> created = WebSessions.create("{\"user\":\"alice\"}");
        String id = created.path("id");
        String cookie = created.path("cookie");
        assertEquals(hmacSha256(NEWEST_SECRET, id) + id, cookie, "create returns the cookie it issues");
        assertTrue(created.header("Set-Cookie").startsWith(COOKIE + "=" + cookie + ";"), created.header("Set-Cookie"));

        List<ExtractableResponse<Response>> answers = new ArrayList<>();
        answers.add(given().when().get("/v1/web-sessions/" + id).then().statusCode(200).extract());
        answers.add(given().cookie(COOKIE, cookie).when().get("/v1/web-sessions/current").then().statusCode(200).extract());
        answers.add(given().header("X-Session-Cookie", cookie).when().get("/v1/web-sessions/current")
                .then().statusCode(200).extract());
        answers.add(given().header("If-Match", "*").body("{\"data\":{\"user\":\"bob\"}}")
                .when().put("/v1/web-sessions/" + id).then().statusCode(200).extract());
        answers.add(given().when().post("/v1/web-sessions/" + id + "/touch").then().statusCode(204).extract());
        answers.add(given().body("{\"ttl\":30}").when().post("/v1/web-sessions/" + id + "/lock")
                .then().statusCode(200).extract());
        for (ExtractableResponse<Response> answer : answers) {
            assertTrue(!answer.body().asString().contains(cookie) && !answer.body().asString().contains("\"cookie\""),
                    "no cookie in " + answer.body().asString());
            assertNull(answer.header("Set-Cookie"), "no Set-Cookie on a call that issues no cookie");
        }
        assertEquals("bob", answers.get(3).path("data.user"), "the save did happen");

        ExtractableResponse<Response> moved = given().when().post("/v1/web-sessions/" + id + "/regenerate")
                .then().statusCode(201).extract();
        String movedId = moved.path("id");
        assertEquals(hmacSha256(NEWEST_SECRET, movedId) + movedId, moved.path("cookie"), "regenerate returns its cookie");
        assertEquals(COOKIE + "=" + moved.path("cookie") + "; Path=/; HttpOnly; SameSite=Lax", moved.header("Set-Cookie"));
        ExtractableResponse<Response> fresh = given().when().post("/v1/web-sessions/" + movedId + "/invalidate")
                .then().statusCode(201).extract();
        String freshId = fresh.path("id");
        assertEquals(hmacSha256(NEWEST_SECRET, freshId) + freshId, fresh.path("cookie"), "invalidate returns its cookie");
        assertEquals(COOKIE + "=" + fresh.path("cookie") + "; Path=/; HttpOnly; SameSite=Lax", fresh.header("Set-Cookie"));
        given().when().get("/v1/web-sessions/" + freshId).then().statusCode(200).body("$", not(hasKey("cookie")));
    }

    @Test
    void setCookieCarriesTheConfiguredAttributesAndTheSignedId() {
        ExtractableResponse<Response> created = WebSessions.create("{}");
        String id = created.path("id");
        String cookie = created.path("cookie");

        assertEquals(COOKIE + "=" + cookie + "; Path=/; HttpOnly; SameSite=Lax", created.header("Set-Cookie"),
                "cookie-expires=session: no Expires, the browser forgets it when it closes");
        assertEquals(hmacSha256(NEWEST_SECRET, id) + id, cookie, "signed with the newest secret");
    }

    @Test
    void aCookieSignedWithAnOlderSecretIsStillAccepted() {
        String id = WebSessions.createId("{\"n\":1}");

        given().cookie(COOKIE, hmacSha256(OLDER_SECRET, id) + id)
                .when().get("/v1/web-sessions/current")
                .then().statusCode(200).body("id", equalTo(id)).body("data.n", equalTo(1));
        given().header("X-Session-Cookie", "\"" + hmacSha256(OLDER_SECRET, id) + id + "\"")
                .when().get("/v1/web-sessions/current")
                .then().statusCode(200).body("id", equalTo(id));
    }

    @Test
    void aTamperedOrUnsignedCookieIsNoSessionNeverABadRequest() {
        String id = WebSessions.createId("{}");
        String cookie = hmacSha256(NEWEST_SECRET, id) + id;
        String otherId = WebSessions.createId("{}");
        char last = cookie.charAt(cookie.length() - 1);
        List<String> forged = List.of(
                cookie.substring(0, 64) + otherId,                                  // signature of another id
                (cookie.charAt(0) == 'a' ? 'b' : 'a') + cookie.substring(1),       // one signature digit changed
                cookie.substring(0, cookie.length() - 1) + (last == '0' ? '1' : '0'), // one id digit changed
                hmacSha256("some-other-secret-of-16+", id) + id,                    // unknown secret
                id,                                                                  // no signature at all
                cookie.substring(1),                                                 // too short
                cookie.toUpperCase(),                                                // not our encoding
                "");

        for (String value : forged) {
            given().cookie(COOKIE, value)
                    .when().get("/v1/web-sessions/current")
                    .then().statusCode(404)
                    .contentType("application/vnd.api+json")
                    .body("errors[0].status", equalTo("404"))
                    .body("errors[0].detail", equalTo("No web session: no validly signed session cookie"));
        }
        given().when().get("/v1/web-sessions/current").then().statusCode(404);
        given().cookie(COOKIE, cookie).when().get("/v1/web-sessions/current").then().statusCode(200);
    }

    @Test
    void concurrentSavesWithTheSameIfMatchLetExactlyOneWin() throws Exception {
        String id = WebSessions.createId("{\"count\":0}");
        int writers = 8;
        CountDownLatch start = new CountDownLatch(1);
        List<Callable<Integer>> saves = new ArrayList<>();
        for (int i = 1; i <= writers; i++) {
            String body = "{\"data\":{\"count\":" + i + "}}";
            saves.add(() -> {
                start.await();
                return given().header("If-Match", "\"1\"").body(body)
                        .when().put("/v1/web-sessions/" + id)
                        .then().extract().statusCode();
            });
        }
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<Integer>> answers = new ArrayList<>();
            for (Callable<Integer> save : saves) {
                answers.add(pool.submit(save));
            }
            start.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> answer : answers) {
                statuses.add(answer.get(30, TimeUnit.SECONDS));
            }

            assertEquals(1, statuses.stream().filter(status -> status == 200).count(), statuses.toString());
            assertEquals(writers - 1, statuses.stream().filter(status -> status == 412).count(), statuses.toString());
            int winner = statuses.indexOf(200) + 1;
            given().when().get("/v1/web-sessions/" + id)
                    .then().body("version", equalTo(2)).body("data.count", equalTo(winner));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void saveNeedsTheCurrentVersion() {
        String id = WebSessions.createId("{\"a\":1}");

        given().header("If-Match", "\"2\"").body("{\"data\":{\"a\":2}}")
                .when().put("/v1/web-sessions/" + id)
                .then().statusCode(412)
                .body("errors[0].title", equalTo("Precondition Failed"))
                .body("errors[0].detail", equalTo("Web session '" + id + "' is at version 1, not 2: "
                        + "read it again and reapply the change"));
        given().body("{\"data\":{\"a\":2}}")
                .when().put("/v1/web-sessions/" + id)
                .then().statusCode(428)
                .body("errors[0].detail", equalTo("A save needs If-Match: the ETag of the version it replaces "
                        + "(or * to replace any version)"));
        given().header("If-Match", "W/\"1\"").body("{\"data\":{\"a\":2}}")
                .when().put("/v1/web-sessions/" + id)
                .then().statusCode(400);
        given().when().get("/v1/web-sessions/" + id).then().body("version", equalTo(1)).body("data.a", equalTo(1));

        given().header("If-Match", "1").body("{\"data\":{\"a\":2}}")
                .when().put("/v1/web-sessions/" + id)
                .then().statusCode(200).body("version", equalTo(2));
        given().header("If-Match", "*").body("{\"data\":{\"a\":3}}")
                .when().put("/v1/web-sessions/" + id)
                .then().statusCode(200).body("version", equalTo(3)).body("data.a", equalTo(3));
    }

    @Test
    void touchRecordsAnAccessAndKeepsDataAndVersion() {
        ExtractableResponse<Response> created = WebSessions.create("{\"a\":1}");
        String id = created.path("id");
        String createdAccess = created.path("accessed");
        assertNull(created.path("last_accessed"));

        given().when().post("/v1/web-sessions/" + id + "/touch").then().statusCode(204);

        given().when().get("/v1/web-sessions/" + id)
                .then().statusCode(200)
                .body("version", equalTo(1))
                .body("data.a", equalTo(1))
                .body("last_accessed", equalTo(createdAccess))
                .body("accessed", not(equalTo(createdAccess)));
        given().when().post("/v1/web-sessions/0123456789abcdef0123456789abcdef/touch").then().statusCode(404);
    }

    @Test
    void invalidateIssuesAnEmptySessionUnderANewIdAndTheOldIdIsGone() {
        String old = WebSessions.createId("{\"user\":\"alice\"}");

        ExtractableResponse<Response> fresh = given().when().post("/v1/web-sessions/" + old + "/invalidate")
                .then().statusCode(201)
                .body("data.size()", equalTo(0))
                .body("version", equalTo(1))
                .extract();
        String id = fresh.path("id");
        assertNotEquals(old, id);
        assertEquals(COOKIE + "=" + fresh.path("cookie") + "; Path=/; HttpOnly; SameSite=Lax", fresh.header("Set-Cookie"));
        assertTrue(fresh.header("Location").endsWith("/v1/web-sessions/" + id));

        given().when().get("/v1/web-sessions/" + old).then().statusCode(404);
        given().when().post("/v1/web-sessions/" + old + "/invalidate").then().statusCode(404);
        given().cookie(COOKIE, hmacSha256(NEWEST_SECRET, old) + old)
                .when().get("/v1/web-sessions/current").then().statusCode(404);
    }

    @Test
    void regenerateKeepsTheDataUnderANewIdAndTheOldIdIsGone() {
        ExtractableResponse<Response> created = WebSessions.create("{\"user\":\"alice\",\"roles\":[\"admin\"]}");
        String old = created.path("id");

        ExtractableResponse<Response> moved = given().when().post("/v1/web-sessions/" + old + "/regenerate")
                .then().statusCode(201)
                .body("data.user", equalTo("alice"))
                .body("data.roles", contains("admin"))
                .body("created", equalTo(created.path("created")))
                .extract();
        String id = moved.path("id");
        assertNotEquals(old, id);
        assertEquals(COOKIE + "=" + moved.path("cookie") + "; Path=/; HttpOnly; SameSite=Lax", moved.header("Set-Cookie"));

        given().when().get("/v1/web-sessions/" + old).then().statusCode(404);
        given().when().get("/v1/web-sessions/" + id).then().statusCode(200).body("data.user", equalTo("alice"));
    }

    @Test
    void aLockIsHeldUntilReleasedWithItsToken() {
        String id = WebSessions.createId("{}");

        String token = given().body("{\"ttl\":30}")
                .when().post("/v1/web-sessions/" + id + "/lock")
                .then().statusCode(200)
                .body("lockToken", matchesPattern("[0-9a-f-]{36}"))
                .body("expires", notNullValue())
                .extract().path("lockToken");
        given().body("{\"ttl\":30}")
                .when().post("/v1/web-sessions/" + id + "/lock")
                .then().statusCode(423)
                .body("errors[0].title", equalTo("Locked"));
        given().header("Lock-Token", "00000000-0000-0000-0000-000000000000")
                .when().delete("/v1/web-sessions/" + id + "/lock")
                .then().statusCode(423);

        given().header("Lock-Token", token).when().delete("/v1/web-sessions/" + id + "/lock").then().statusCode(204);
        given().header("Lock-Token", token).when().delete("/v1/web-sessions/" + id + "/lock").then().statusCode(409);
        given().body("{\"ttl\":30}").when().post("/v1/web-sessions/" + id + "/lock").then().statusCode(200);
    }

    @Test
    void anExpiredLockIsFree() throws InterruptedException {
        String id = WebSessions.createId("{}");
        // Two seconds, so that the second request comes while it is held even on a loaded machine.
        given().body("{\"ttl\":2}").when().post("/v1/web-sessions/" + id + "/lock").then().statusCode(200);
        given().body("{\"ttl\":2}").when().post("/v1/web-sessions/" + id + "/lock").then().statusCode(423);

        // Refused (423, nothing changed) until the lock expired, then taken.
        Waits.until(() -> given().body("{\"ttl\":30}").when().post("/v1/web-sessions/" + id + "/lock").statusCode() == 200,
                Duration.ofSeconds(30), "the expired lock was never free");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"ttl\":0}", "{\"ttl\":-1}", "{\"ttl\":301}", "{\"ttl\":\"30s\"}", "{}", "",
            "{\"ttl\":30,\"owner\":\"x\"}"})
    void badLockRequestsAreRefused(String body) {
        String id = WebSessions.createId("{}");
        given().body(body).when().post("/v1/web-sessions/" + id + "/lock")
                .then().statusCode(400).body("errors[0].detail", notNullValue());
    }

    @Test
    void unlockNeedsAWellFormedToken() {
        String id = WebSessions.createId("{}");
        given().when().delete("/v1/web-sessions/" + id + "/lock")
                .then().statusCode(400)
                .body("errors[0].detail", equalTo("Unlock needs the Lock-Token header that the lock returned"));
        given().header("Lock-Token", "nope").when().delete("/v1/web-sessions/" + id + "/lock")
                .then().statusCode(400).body("errors[0].detail", equalTo("Lock-Token 'nope' is not a lock token"));
    }

    @Test
    void dataLargerThanTheLimitIsRefusedWith413() {
        String big = "x".repeat(64 * 1024);
        given().body("{\"data\":{\"blob\":\"" + big + "\"}}")
                .when().post("/v1/web-sessions")
                .then().statusCode(413)
                .body("errors[0].title", equalTo("Request Entity Too Large"))
                .body("errors[0].detail", endsWith("more than the 65536 allowed (sessiond.web.max-data-size)"));

        String id = WebSessions.createId("{}");
        given().header("If-Match", "*").body("{\"data\":{\"blob\":\"" + big + "\"}}")
                .when().put("/v1/web-sessions/" + id)
                .then().statusCode(413);
        given().when().get("/v1/web-sessions/" + id).then().body("version", equalTo(1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"data\":[1]}", "{\"data\":\"x\"}", "{\"data\":null}", "[]", "{\"data\":{}",
            "{\"dta\":{}}", "{\"data\":{\"nul\":\"a\\u0000b\"}}"})
    void malformedBodiesAreRefusedWith400(String body) {
        given().body(body).when().post("/v1/web-sessions")
                .then().statusCode(400)
                .contentType("application/vnd.api+json")
                .body("errors", hasSize(1))
                .body("errors[0].status", equalTo("400"))
                .body("errors[0].detail", notNullValue());
    }

    @Test
    void createWithoutABodyMakesAnEmptySession() {
        given().when().post("/v1/web-sessions")
                .then().statusCode(201).body("data.size()", equalTo(0)).body("last_accessed", nullValue());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0123456789abcdef0123456789abcdef", "not-an-id", "0123456789ABCDEF0123456789ABCDEF"})
    void unknownOrMalformedIdsAreNotFound(String id) {
        given().when().get("/v1/web-sessions/" + id)
                .then().statusCode(404)
                .body("errors[0].detail", equalTo("Web session '" + id + "' not found"));
        given().header("If-Match", "*").body("{\"data\":{}}").when().put("/v1/web-sessions/" + id).then().statusCode(404);
        given().when().delete("/v1/web-sessions/" + id).then().statusCode(404);
        given().when().post("/v1/web-sessions/" + id + "/regenerate").then().statusCode(404);
    }

    private static String hmacSha256(String secret, String id) {
        return CookieSignatures.hmacHex("HmacSHA256", secret, id);
    }
}
