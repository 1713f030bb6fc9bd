package io.sessiond.consul;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.sessiond.testsupport.Kv;
import io.sessiond.testsupport.Sessions;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static io.sessiond.testsupport.Names.unique;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Consul's KV endpoints and their lock rules, black-box over HTTP. */
@QuarkusTest
class ConsulKvResourceTest {

    private static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aKeyReadSaysUntilWhenItsLockDelayRuns() {
        String key = "lock-delay-header/" + UUID.randomUUID();
        String session = Sessions.create("{\"LockDelay\":\"20s\"}");
        assertTrue(Kv.put(key + "?acquire=" + session, "held"));
        Kv.get(key).then().statusCode(200).header("X-Sessiond-Lock-Delay-Until", nullValue());
        given().when().put("/v1/session/destroy/" + session).then().statusCode(200);

        Response released = Kv.get(key);
        String until = released.header("X-Sessiond-Lock-Delay-Until");
        java.time.Instant end = java.time.ZonedDateTime.parse(until, java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        assertTrue(end.isAfter(java.time.Instant.now().plusSeconds(15)) && end.isBefore(java.time.Instant.now().plusSeconds(22)), until);
        assertEquals(until, given().when().get("/v1/kv/" + key + "?raw").header("X-Sessiond-Lock-Delay-Until"));
        Kv.get(key + "-never-locked").then().header("X-Sessiond-Lock-Delay-Until", nullValue());
        assertTrue(Kv.put(key + "-never-locked", "x"));
        Kv.get(key + "-never-locked").then().statusCode(200).header("X-Sessiond-Lock-Delay-Until", nullValue());
    }

    @Test
    void putThenGetShowsConsulsEntryShape() {
        String key = unique("app") + "/config/db";
        assertTrue(Kv.put(key + "?flags=42", "hello"));
        Response response = Kv.get(key);
        response.then().statusCode(200)
                .header("X-Consul-Knownleader", "true")
                .header("X-Consul-Lastcontact", "0")
                .body("size()", is(1))
                .body("[0].Key", equalTo(key))
                .body("[0].Value", equalTo(b64("hello")))
                .body("[0].Flags", equalTo(42))
                .body("[0].LockIndex", equalTo(0))
                .body("[0]", not(hasKey("Session")));
        long modifyIndex = response.jsonPath().getLong("[0].ModifyIndex");
        assertEquals(modifyIndex, Kv.index(response), "a found key reports its own ModifyIndex");
        String body = response.asString();
        List<String> order = List.of("\"LockIndex\"", "\"Key\"", "\"Flags\"", "\"Value\"", "\"CreateIndex\"", "\"ModifyIndex\"");
        for (int i = 1; i < order.size(); i++) {
            assertTrue(body.indexOf(order.get(i - 1)) < body.indexOf(order.get(i)), body);
        }
    }

    @Test
    void percentEncodedSlashesNameTheSameKey() {
        String key = unique("enc") + "/a/b";
        given().urlEncodingEnabled(false).body("v").when().put("/v1/kv/" + key.replace("/", "%2F"))
                .then().statusCode(200).body(equalTo("true"));
        Kv.get(key).then().statusCode(200).body("[0].Key", equalTo(key));
    }

    @Test
    void flagsRoundTripAsUnsigned64Bit() {
        String key = unique("flags");
        assertTrue(Kv.put(key + "?flags=16210313421097356768", "x"));
        String body = Kv.get(key).then().statusCode(200).extract().asString();
        assertTrue(body.contains("\"Flags\":16210313421097356768"), body);
    }

    @Test
    void emptyValueIsNull() {
        String key = unique("empty");
        assertTrue(Kv.put(key, ""));
        Kv.get(key).then().statusCode(200).body("[0]", hasKey("Value")).body("[0].Value", nullValue());
    }

    @Test
    void rawReturnsTheBytes() {
        String key = unique("raw");
        assertTrue(Kv.put(key, "plain bytes"));
        Kv.get(key + "?raw").then().statusCode(200)
                .contentType(startsWith("text/plain"))
                .header("X-Content-Type-Options", "nosniff")
                .header("Content-Security-Policy", "sandbox")
                .header("X-Consul-Index", notNullValue())
                .body(equalTo("plain bytes"));
    }

    @Test
    void missingKeyIs404WithIndexHeaders() {
        Kv.get(unique("missing")).then().statusCode(404)
                .header("X-Consul-Index", notNullValue())
                .header("X-Consul-Knownleader", "true")
                .header("X-Consul-Lastcontact", "0")
                .body(emptyString());
    }

    @Test
    void recurseAndKeysListAPrefixInByteOrder() {
        String root = unique("tree") + "/";
        for (String leaf : List.of("web/foo", "web/bar", "web/subdir/x", "web/subdir/y", "other")) {
            assertTrue(Kv.put(root + leaf, leaf));
        }
        Kv.get(root + "web/?recurse").then().statusCode(200)
                .body("Key", contains(root + "web/bar", root + "web/foo", root + "web/subdir/x", root + "web/subdir/y"));
        Kv.get(root + "web/?keys").then().statusCode(200)
                .body("$", contains(root + "web/bar", root + "web/foo", root + "web/subdir/x", root + "web/subdir/y"));
        Kv.get(root + "web/?keys&separator=/").then().statusCode(200)
                .body("$", contains(root + "web/bar", root + "web/foo", root + "web/subdir/"));
        Kv.get(root + "nothing/?recurse").then().statusCode(404).header("X-Consul-Index", notNullValue());
        Kv.get(root + "nothing/?keys").then().statusCode(404);
    }

    @Test
    void casWritesOnlyAtTheExpectedIndex() {
        String key = unique("cas");
        assertTrue(Kv.put(key + "?cas=0", "first"), "cas=0 creates a missing key");
        assertFalse(Kv.put(key + "?cas=0", "again"), "cas=0 refuses an existing key");
        long index = Kv.modifyIndex(key);
        assertFalse(Kv.put(key + "?cas=" + (index + 1000), "stale"));
        assertTrue(Kv.put(key + "?cas=" + index, "second"));
        Kv.get(key).then().body("[0].Value", equalTo(b64("second")));
    }

    @Test
    void deleteVariants() {
        String key = unique("del");
        assertTrue(Kv.put(key, "v"));
        given().when().delete("/v1/kv/" + key + "?cas=0").then().statusCode(200).body(equalTo("false"));
        given().when().delete("/v1/kv/" + key + "?cas=" + Kv.modifyIndex(key)).then().statusCode(200).body(equalTo("true"));
        Kv.get(key).then().statusCode(404);
        given().when().delete("/v1/kv/" + key + "?cas=77").then().statusCode(200).body(equalTo("true"));
        given().when().delete("/v1/kv/" + key).then().statusCode(200).body(equalTo("true"));

        String root = unique("deltree") + "/";
        assertTrue(Kv.put(root + "a", "1"));
        assertTrue(Kv.put(root + "b/c", "2"));
        given().when().delete("/v1/kv/" + root + "?recurse").then().statusCode(200).body(equalTo("true"));
        Kv.get(root + "?recurse").then().statusCode(404);
    }

    @Test
    void deletesMoveTheStoreIndex() {
        String key = unique("tomb");
        assertTrue(Kv.put(key, "v"));
        long before = Kv.index(Kv.get(unique("absent")));
        given().when().delete("/v1/kv/" + key).then().statusCode(200);
        assertTrue(Kv.index(Kv.get(unique("absent"))) > before);
    }

    @Test
    void badRequestsAre4xxAndChangeNothing() {
        String key = unique("bad");
        assertTrue(Kv.put(key, "kept"));
        long index = Kv.modifyIndex(key);
        given().body("x").when().put("/v1/kv/" + key + "?cas=1&acquire=x").then().statusCode(400)
                .body(equalTo("Conflicting flags: acquire=x&cas=1"));
        given().body("x").when().put("/v1/kv/" + key + "?flags=abc").then().statusCode(400)
                .body(equalTo("strconv.ParseUint: parsing \"abc\": invalid syntax"));
        given().body("x").when().put("/v1/kv/" + key + "?flags=18446744073709551616").then().statusCode(400)
                .body(equalTo("strconv.ParseUint: parsing \"18446744073709551616\": value out of range"));
        given().body("x").when().put("/v1/kv/" + key + "?cas=-1").then().statusCode(400);
        given().when().delete("/v1/kv/" + key + "?recurse&cas=1").then().statusCode(400)
                .body(startsWith("Conflicting flags: "));
        given().body("x").when().put("/v1/kv/").then().statusCode(400).body(equalTo("Missing key name"));
        given().when().get("/v1/kv/").then().statusCode(400).body(equalTo("Missing key name"));
        given().when().delete("/v1/kv/").then().statusCode(400).body(equalTo("Missing key name"));
        given().body(new byte[524_289]).when().put("/v1/kv/" + key).then().statusCode(413)
                .body(equalTo("Request body(524289 bytes) too large, max size: 524288 bytes. "
                        + "See https://www.consul.io/docs/agent/config/config-files#kv_max_value_size."));
        Kv.get(key).then().body("[0].Value", equalTo(b64("kept"))).body("[0].ModifyIndex", equalTo((int) index));
    }

    @Test
    void valuesUpToTheLimitAreStored() {
        String key = unique("big");
        given().body(new byte[524_288]).when().put("/v1/kv/" + key).then().statusCode(200).body(equalTo("true"));
        assertEquals(524_288, Base64.getDecoder().decode(Kv.get(key).jsonPath().getString("[0].Value")).length);
    }

    @Test
    void acquireFollowsConsulsLockRules() {
        String key = unique("lock");
        String holder = Sessions.create("{}");
        String other = Sessions.create("{}");

        assertTrue(Kv.put(key + "?acquire=" + holder, "mine"));
        Response locked = Kv.get(key);
        locked.then().body("[0].Session", equalTo(holder)).body("[0].LockIndex", equalTo(1));
        long modifyIndex = locked.jsonPath().getLong("[0].ModifyIndex");

        assertTrue(Kv.put(key + "?acquire=" + holder, "mine"), "re-acquire by the holder");
        Kv.get(key).then().body("[0].LockIndex", equalTo(1)).body("[0].ModifyIndex", equalTo((int) modifyIndex));
        assertTrue(Kv.put(key + "?acquire=" + holder.toUpperCase(), "mine, updated"));
        Kv.get(key).then().body("[0].Value", equalTo(b64("mine, updated"))).body("[0].LockIndex", equalTo(1));

        assertFalse(Kv.put(key + "?acquire=" + other, "theirs"), "held by another session");
        assertFalse(Kv.put(key + "?release=" + other, "theirs"), "release by a non-holder");
        Kv.get(key).then().body("[0].Session", equalTo(holder)).body("[0].Value", equalTo(b64("mine, updated")));

        assertTrue(Kv.put(key + "?release=" + holder, "released"));
        Kv.get(key).then().body("[0]", not(hasKey("Session")))
                .body("[0].LockIndex", equalTo(1))
                .body("[0].Value", equalTo(b64("released")));

        assertTrue(Kv.put(key + "?acquire=" + other, "theirs"), "explicit release sets no lock-delay");
        Kv.get(key).then().body("[0].Session", equalTo(other)).body("[0].LockIndex", equalTo(2));
        assertFalse(Kv.put(unique("never-held") + "?release=" + other, ""), "release of a missing key");
    }

    @Test
    void plainWritesToALockedKeyKeepTheLock() {
        String key = unique("advisory");
        String holder = Sessions.create("{}");
        assertTrue(Kv.put(key + "?acquire=" + holder, "a"));
        assertTrue(Kv.put(key, "overwritten"));
        Kv.get(key).then().body("[0].Session", equalTo(holder)).body("[0].Value", equalTo(b64("overwritten")));
    }

    @Test
    void acquireWithAMissingOrUnknownSessionIsAnError() {
        String key = unique("nosession");
        given().body("x").when().put("/v1/kv/" + key + "?acquire=").then().statusCode(400)
                .body(equalTo("raft apply failed: missing session"));
        String ghost = UUID.randomUUID().toString();
        given().body("x").when().put("/v1/kv/" + key + "?acquire=" + ghost).then().statusCode(400)
                .body(equalTo("raft apply failed: invalid session \"" + ghost + "\""));
        given().body("x").when().put("/v1/kv/" + key + "?release=").then().statusCode(400)
                .body(equalTo("raft apply failed: missing session"));
        Kv.get(key).then().statusCode(404);
    }

    @Test
    void wrongMethodOnKvIs405() {
        given().when().post("/v1/kv/x").then().statusCode(405).header("Allow", "OPTIONS,GET,PUT,DELETE");
    }
}
