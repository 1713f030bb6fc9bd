package io.sessiond.jsonapi;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.sessiond.testsupport.EmbeddedPostgresResource;
import io.sessiond.testsupport.JsonApiSchema;
import io.sessiond.testsupport.Kv;
import io.sessiond.testsupport.Sessions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.InetAddress;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.restassured.RestAssured.given;
import static io.sessiond.testsupport.AdminApi.IMF_FIXDATE;
import static io.sessiond.testsupport.AdminApi.assertBadParameter;
import static io.sessiond.testsupport.AdminApi.MEDIA_TYPE;
import static io.sessiond.testsupport.AdminApi.error;
import static io.sessiond.testsupport.AdminApi.fieldNames;
import static io.sessiond.testsupport.AdminApi.get;
import static io.sessiond.testsupport.AdminApi.ids;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The admin API (JSON:API) black-box over HTTP: every document is checked against our JSON Schema of the
 * JSON:API rules. HTTP only, so that {@link AdminSessionsResourceIT} runs the same against the packaged app.
 */
@QuarkusTest
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
class AdminSessionsResourceTest {

    @Test
    void aConsulSessionIsSeenWithItsOriginLeaseAndService() {
        String service = uniqueService();
        String id = Sessions.create("{\"Name\":\"leader\",\"TTL\":\"15s\",\"LockDelay\":\"3s\",\"Behavior\":\"delete\","
                + "\"Service\":\"" + service + "\"}");

        JsonNode document = get("/v1/sessions/" + id);
        JsonNode data = document.get("data");
        assertEquals("sessions", data.get("type").asText());
        assertEquals(id, data.get("id").asText());
        assertTrue(document.at("/links/self").asText().endsWith("/v1/sessions/" + id + "/"));
        assertEquals(document.at("/links/self").asText(), data.at("/links/self").asText());
        JsonNode attributes = data.get("attributes");
        assertEquals("Session started", attributes.get("state").asText());
        assertFalse(attributes.has("user"), "anonymous sessions have no user");
        assertEquals("127.0.0.1", attributes.get("remote").asText());
        assertTrue(attributes.get("port").isInt() && attributes.get("port").asInt() > 0);
        assertTrue(attributes.get("connected").asText().matches(IMF_FIXDATE), attributes.get("connected").asText());
        assertTrue(attributes.get("seconds_alive").isNumber() && attributes.get("idle").isNumber());
        assertEquals(15.0, attributes.at("/lease/ttl").asDouble());
        assertEquals(3.0, attributes.at("/lease/lock_delay").asDouble());
        assertEquals("delete", attributes.at("/lease/behavior").asText());
        assertEquals("leader", attributes.at("/lease/name").asText());
        assertEquals("sessiond-test", attributes.at("/lease/node").asText());
        Instant expires = ZonedDateTime.parse(attributes.at("/lease/expires").asText(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        assertTrue(expires.isAfter(Instant.now().plusSeconds(20)), "TTL x 2 ahead: " + expires);
        assertEquals(1, attributes.get("connections").size(), "the creating client is attached");
        assertEquals(1, attributes.at("/connections/0/writes").asInt());
        assertTrue(attributes.at("/log/0").asText().contains("Session created by 127.0.0.1:"), attributes.get("log").toString());

        JsonNode services = data.at("/relationships/services");
        assertEquals(service, services.at("/data/0/id").asText());
        assertEquals("services", services.at("/data/0/type").asText());
        // Every link the resource gives is served.
        JsonNode relationship = get(services.at("/links/self").asText());
        assertEquals(service, relationship.at("/data/0/id").asText());
        JsonNode related = get(services.at("/links/related").asText());
        assertEquals(service, related.at("/data/id").asText());
        assertTrue(hasIdentifier(related.at("/data/relationships/sessions/data"), id));
        JsonNode relatedSessions = get(related.at("/data/relationships/sessions/links/related").asText());
        assertEquals(List.of(id), ids(relatedSessions));
        JsonNode connections = get(data.at("/links/connections").asText());
        assertEquals("connections", connections.at("/data/0/type").asText());
        assertEquals(id, connections.at("/data/0/relationships/sessions/data/id").asText());

        // The same session through Consul's dialect.
        given().when().get("/v1/session/info/" + id).then().statusCode(200).body("[0].Name", equalTo("leader"));
    }

    @Test
    void aSessionWithoutServiceBelongsToDefault() {
        String id = Sessions.create("{}");
        assertEquals("default", get("/v1/sessions/" + id).at("/data/relationships/services/data/0/id").asText());
        given().contentType(ContentType.JSON).body("{\"Service\":\"no spaces\"}")
                .when().put("/v1/session/create").then().statusCode(400);
    }

    @Test
    void clientsAreCountedAsConnections() {
        String id = Sessions.create("{\"TTL\":\"30s\"}");
        for (int i = 0; i < 2; i++) {
            given().header("X-Sessiond-Client", "worker-1").when().put("/v1/session/renew/" + id).then().statusCode(200);
        }
        given().header("X-Sessiond-Client", "worker-1").when().get("/v1/session/info/" + id).then().statusCode(200);
        given().header("X-Sessiond-Client", "worker-2").body("v")
                .when().put("/v1/kv/admin-test/" + id + "?acquire=" + id).then().statusCode(200);

        JsonNode connections = get("/v1/sessions/" + id + "/connections/");
        JsonNode worker1 = named(connections.get("data"), "worker-1");
        assertEquals(1, worker1.at("/attributes/reads").asInt());
        assertEquals(2, worker1.at("/attributes/writes").asInt());
        assertEquals("attached", worker1.at("/attributes/state").asText());
        assertTrue(worker1.at("/attributes/connected").asText().matches(IMF_FIXDATE));
        JsonNode worker2 = named(connections.get("data"), "worker-2");
        assertEquals(0, worker2.at("/attributes/reads").asInt());
        assertEquals(1, worker2.at("/attributes/writes").asInt());
        assertEquals(3, connections.at("/meta/total").asInt(), "creator, worker-1, worker-2");
        assertTrue(get("/v1/sessions/" + id).at("/data/attributes/idle").asDouble() < 5);

        JsonNode sparse = get("/v1/sessions/" + id + "/connections?fields%5Bconnections%5D=reads&filter%5Bclient%5D=worker-1");
        assertEquals(1, sparse.get("data").size());
        assertEquals(Set.of("reads"), fieldNames(sparse.at("/data/0/attributes")));
        assertFalse(sparse.at("/data/0").has("relationships"));
    }

    @Test
    void pathsWorkWithoutV1AndWithATrailingSlash() {
        String id = Sessions.create("{}");
        for (String path : List.of("/sessions/" + id, "/sessions/" + id + "/", "/v1/sessions/" + id + "/")) {
            assertEquals(id, get(path).at("/data/id").asText(), path);
        }
        assertTrue(get("/sessions/").get("data").isArray());
        assertTrue(get("/services").get("data").isArray());
    }

    @Test
    void sparseFieldsetsFollowPaths() {
        String id = Sessions.create("{\"TTL\":\"20s\"}");
        JsonNode some = get("/v1/sessions/" + id + "?fields[sessions]=state,lease/ttl").get("data");
        assertEquals(Set.of("state", "lease"), fieldNames(some.get("attributes")));
        assertEquals(Set.of("ttl"), fieldNames(some.at("/attributes/lease")));
        assertFalse(some.has("relationships"));
        assertEquals(id, some.get("id").asText());
        assertTrue(some.at("/links/self").isTextual());

        JsonNode relationshipOnly = get("/v1/sessions/" + id + "?fields[sessions]=services").get("data");
        assertFalse(relationshipOnly.has("attributes"));
        assertTrue(relationshipOnly.at("/relationships/services/data").isArray());

        JsonNode none = get("/v1/sessions/" + id + "?fields[sessions]=").get("data");
        assertFalse(none.has("attributes") || none.has("relationships"));

        JsonNode inList = get("/v1/sessions?fields[sessions]=state&filter[id]=" + id);
        assertEquals(Set.of("state"), fieldNames(inList.at("/data/0/attributes")));
    }

    @Test
    void filtersKeepEqualAttributes() {
        String service = uniqueService();
        String kept = Sessions.create("{\"Behavior\":\"delete\",\"Service\":\"" + service + "\"}");
        Sessions.create("{\"Service\":\"" + service + "\"}");

        JsonNode byBehavior = get("/v1/sessions?filter[services]=" + service + "&filter[lease/behavior]=delete");
        assertEquals(List.of(kept), ids(byBehavior));
        assertEquals(1, byBehavior.at("/meta/total").asInt());
        assertEquals(2, get("/v1/sessions?filter[services]=" + service + "&filter[state]=Session%20started").at("/meta/total").asInt());
        assertEquals(0, get("/v1/sessions?filter[services]=" + service + "&filter[user]=alice").at("/meta/total").asInt());
    }

    @Test
    void pagesLinkToEachOtherAndKeepTheOtherParameters() {
        String service = uniqueService();
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            created.add(Sessions.create("{\"Service\":\"" + service + "\"}"));
        }
        JsonNode first = get("/v1/sessions?filter[services]=" + service + "&fields[sessions]=state&page[size]=2");
        assertEquals(5, first.at("/meta/total").asInt());
        assertEquals(created.subList(0, 2), ids(first));
        JsonNode links = first.get("links");
        assertFalse(links.has("prev"));
        for (String link : List.of("self", "first", "last", "next")) {
            String url = links.get(link).asText();
            assertTrue(url.contains("filter%5Bservices%5D=" + service) && url.contains("fields%5Bsessions%5D=state")
                    && url.contains("page%5Bsize%5D=2"), url);
        }
        assertTrue(links.get("last").asText().endsWith("page%5Bnumber%5D=2"), links.get("last").asText());

        JsonNode last = get(links.get("last").asText());
        assertEquals(created.subList(4, 5), ids(last));
        assertFalse(last.get("links").has("next"));
        JsonNode middle = get(last.at("/links/prev").asText());
        assertEquals(created.subList(2, 4), ids(middle));
        assertEquals(Set.of("state"), fieldNames(middle.at("/data/0/attributes")));

        JsonNode empty = get("/v1/sessions?filter[services]=nothing-here&page[size]=2");
        assertTrue(empty.at("/links/last").asText().endsWith("page%5Bnumber%5D=0"));
        assertEquals(0, empty.get("data").size());
    }

    /**
     * Sessions are created while an operator walks the pages by {@code next} links: each session that existed
     * when the walk began is seen exactly once, in creation order, and none twice.
     */
    @Test
    void walkingNextLinksSeesEverySessionOnceWhileSessionsAreCreated() throws Exception {
        String service = uniqueService();
        List<String> existing = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            existing.add(Sessions.create("{\"Service\":\"" + service + "\"}"));
        }
        AtomicBoolean walking = new AtomicBoolean(true);
        // The creator starts once the first page (which fixes the snapshot) is read, not before it.
        CountDownLatch firstPageRead = new CountDownLatch(1);
        List<String> createdDuringWalk = new java.util.concurrent.CopyOnWriteArrayList<>();
        CompletableFuture<Void> creator = CompletableFuture.runAsync(() -> {
            try {
                firstPageRead.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            while (walking.get()) {
                createdDuringWalk.add(Sessions.create("{\"Service\":\"" + service + "\"}"));
            }
        });
        List<String> seen = new ArrayList<>();
        try {
            String next = "/v1/sessions?filter[services]=" + service + "&page[size]=3";
            while (next != null) {
                JsonNode page = get(next);
                seen.addAll(ids(page));
                firstPageRead.countDown();
                next = page.at("/links/next").isTextual() ? page.at("/links/next").asText() : null;
                Thread.sleep(50); // let the creator add sessions between pages
            }
        } finally {
            walking.set(false);
            firstPageRead.countDown();
            creator.get(30, TimeUnit.SECONDS);
        }
        assertEquals(existing, seen);
        assertFalse(createdDuringWalk.isEmpty(), "sessions were created during the walk");
        assertEquals(existing.size() + createdDuringWalk.size(),
                get("/v1/sessions?filter[services]=" + service).at("/meta/total").asInt());
    }

    @Test
    void deleteEndsTheSessionLikeAConsulDestroy() {
        String releasing = Sessions.create("{\"LockDelay\":\"0s\"}");
        String deleting = Sessions.create("{\"LockDelay\":\"0s\",\"Behavior\":\"delete\"}");
        String key = "admin-kill/" + UUID.randomUUID();
        assertTrue(Kv.put(key + "/a?acquire=" + releasing, "kept"));
        assertTrue(Kv.put(key + "/b?acquire=" + deleting, "gone"));

        given().when().delete("/v1/sessions/" + releasing).then().statusCode(204);
        given().when().delete("/sessions/" + deleting + "/").then().statusCode(204);

        Kv.get(key + "/a").then().statusCode(200).body("[0].Session", equalTo(null));
        Kv.get(key + "/b").then().statusCode(404);
        given().when().get("/v1/session/info/" + releasing).then().statusCode(200).body("size()", equalTo(0));
        JsonNode again = error(given().when().delete("/v1/sessions/" + releasing), 404);
        assertEquals("Session '" + releasing + "' not found", again.at("/errors/0/detail").asText());
    }

    @Test
    void deleteWithTtlEndsTheSessionLater() throws InterruptedException {
        String id = Sessions.create("{\"TTL\":\"20s\",\"LockDelay\":\"0s\"}");
        String key = "admin-stop/" + UUID.randomUUID();
        assertTrue(Kv.put(key + "?acquire=" + id, "v"));

        Response accepted = given().when().delete("/v1/sessions/" + id + "?ttl=1");
        accepted.then().statusCode(202).contentType(MEDIA_TYPE);
        JsonNode stopping = JsonApiSchema.assertValid(accepted.asString());
        assertEquals("Stopping session", stopping.at("/data/attributes/state").asText());

        // The sweeper ends it (and releases its lock) within one interval after the stop time.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (Kv.get(key).then().statusCode(200).extract().jsonPath().getString("[0].Session") != null) {
            assertTrue(System.nanoTime() < deadline, "the stopped session ended and released its lock");
            Thread.sleep(200);
        }
        given().when().get("/v1/session/info/" + id).then().statusCode(200).body("size()", equalTo(0));
        error(given().when().get("/v1/sessions/" + id), 404);
    }

    @Test
    void renewalsDoNotMoveADeferredStop() {
        String id = Sessions.create("{\"TTL\":\"20s\"}");
        JsonNode stopping = JsonApiSchema.assertValid(given().when().delete("/v1/sessions/" + id + "?ttl=30")
                .then().statusCode(202).extract().asString());
        JsonNode expires = stopping.at("/data/attributes/lease/expires");
        Instant stopAt = ZonedDateTime.parse(expires.asText(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        assertTrue(stopAt.isBefore(Instant.now().plusSeconds(31)), "ends at the stop, before TTL x 2: " + stopAt);

        given().when().put("/v1/session/renew/" + id).then().statusCode(200);
        JsonNode renewed = get("/v1/sessions?filter[state]=Stopping%20session&filter[id]=" + id);
        assertEquals(expires, renewed.at("/data/0/attributes/lease/expires"), "a renewal does not move the stop");
        assertTrue(renewed.at("/data/0/attributes/log").toString().contains("Stop requested"));
        // Asking again for a later stop keeps the earlier one.
        JsonNode again = JsonApiSchema.assertValid(given().when().delete("/v1/sessions/" + id + "?ttl=60")
                .then().statusCode(202).extract().asString());
        assertEquals(expires, again.at("/data/attributes/lease/expires"));
    }

    @ParameterizedTest
    @CsvSource({
            "/v1/sessions?page[size]=0, page[size]",
            "/v1/sessions?page[size]=abc, page[size]",
            "/v1/sessions?page[size]=2&page[number]=-1, page[number]",
            "/v1/sessions?page[number]=1, page[size]",
            "/v1/sessions?rdns=yes, rdns",
            "/v1/sessions?pretty=1, pretty",
            "/v1/sessions?fields[nothing]=a, fields[nothing]",
            "/v1/sessions?filter[nothing]=a, filter[nothing]",
            "/v1/sessions?sort=nothing, sort",
            "/v1/sessions?filter[idle]=gt(soon), filter[idle]",
            "/v1/sessions/abc?sort=id, sort",
            "/v1/sessions?include=services, include",
            "/v1/sessions?ttl=5, ttl",
            "/v1/services?rdns=true, rdns",
            "/v1/sessions?state=x, state",
    })
    void badParametersAre400NamingTheParameter(String path, String parameter) {
        assertBadParameter(path, parameter);
    }

    @Test
    void badTtlIs400() {
        String id = Sessions.create("{}");
        for (String ttl : List.of("-1", "soon")) {
            JsonNode document = error(given().when().delete("/v1/sessions/" + id + "?ttl=" + ttl), 400);
            assertEquals("ttl", document.at("/errors/0/source/parameter").asText());
        }
    }

    @Test
    void unknownThingsAre404Documents() {
        String unknown = UUID.randomUUID().toString();
        assertEquals("Session '" + unknown + "' not found",
                error(given().when().get("/v1/sessions/" + unknown), 404).at("/errors/0/detail").asText());
        assertEquals("Session 'abc' not found",
                error(given().when().get("/v1/sessions/abc"), 404).at("/errors/0/detail").asText());
        error(given().when().get("/v1/sessions/" + unknown + "/connections"), 404);
        error(given().when().delete("/v1/sessions/abc?ttl=5"), 404);
        error(given().when().get("/v1/services/nothing-here"), 404);
        error(given().when().get("/v1/sessions/abc/nothing"), 404);
        JsonNode wrongMethod = error(given().when().put("/v1/sessions"), 405);
        assertEquals("405", wrongMethod.at("/errors/0/status").asText());
    }

    @Test
    void mediaTypesFollowJsonApi() {
        given().accept("application/json").when().get("/v1/sessions").then().statusCode(200).contentType(MEDIA_TYPE);
        given().accept(MEDIA_TYPE).when().get("/v1/sessions").then().statusCode(200);
        given().accept(MEDIA_TYPE + "; ext=\"https://example.com/ext\"").when().get("/v1/sessions").then().statusCode(200);
        error(given().accept(MEDIA_TYPE + "; charset=utf-8").when().get("/v1/sessions"), 406);
        error(given().accept("text/html").when().get("/v1/sessions"), 406);
        error(given().contentType(MEDIA_TYPE + "; version=1").when().get("/v1/sessions"), 415);
    }

    @Test
    void unchangedResourcesAnswer304() {
        String id = Sessions.create("{\"TTL\":\"30s\"}");
        Response first = given().when().get("/v1/sessions/" + id);
        String etag = first.then().statusCode(200).header("Cache-Control", "no-cache").extract().header("ETag");
        assertTrue(etag.startsWith("W/\""), etag);
        given().header("If-None-Match", etag).when().get("/v1/sessions/" + id).then().statusCode(304);
        given().when().put("/v1/session/renew/" + id).then().statusCode(200);
        given().header("If-None-Match", etag).when().get("/v1/sessions/" + id).then().statusCode(200);
    }

    @Test
    void rdnsNamesTheClient() throws Exception {
        String id = Sessions.create("{}");
        String name = InetAddress.getByName("127.0.0.1").getCanonicalHostName();
        assertEquals(name, get("/v1/sessions/" + id + "?rdns=true").at("/data/attributes/remote").asText());
        assertEquals("127.0.0.1", get("/v1/sessions/" + id + "?rdns=false").at("/data/attributes/remote").asText());
    }

    @Test
    void servicesListTheirSessions() {
        String service = uniqueService();
        String id = Sessions.create("{\"Service\":\"" + service + "\"}");
        JsonNode services = get("/v1/services?filter[id]=" + service);
        assertEquals(1, services.at("/data/0/attributes/session_count").asInt());
        assertEquals(id, services.at("/data/0/relationships/sessions/data/0/id").asText());
        JsonNode pretty = JsonApiSchema.assertValid(given().when().get("/v1/services/" + service + "?pretty=true")
                .then().statusCode(200).extract().asString());
        assertEquals(service, pretty.at("/data/id").asText());
    }

    @Test
    void sessionsSortByAnyFieldAndFilterByComparison() {
        String service = uniqueService();
        String shortLease = Sessions.create("{\"TTL\":\"15s\",\"Service\":\"" + service + "\"}");
        String noLease = Sessions.create("{\"Service\":\"" + service + "\"}");
        String longLease = Sessions.create("{\"TTL\":\"60s\",\"Service\":\"" + service + "\"}");
        String ofService = "/v1/sessions?filter%5Bservices%5D=" + service;

        assertEquals(List.of(shortLease, longLease, noLease), ids(get(ofService + "&sort=lease/ttl")));
        assertEquals(List.of(longLease, shortLease, noLease), ids(get(ofService + "&sort=-lease/ttl")),
                "a session without the field is last both ways");
        List<String> byIdDescending = new ArrayList<>(List.of(shortLease, noLease, longLease));
        byIdDescending.sort(java.util.Comparator.reverseOrder());
        assertEquals(byIdDescending, ids(get(ofService + "&sort=-id")));
        String otherService = uniqueService();
        String other = Sessions.create("{\"Service\":\"" + otherService + "\"}");
        List<String> byService = ids(get("/v1/sessions?filter%5Bid%5D=" + other + "&sort=services")).stream().toList();
        assertEquals(List.of(other), byService);
        List<String> both = ids(get("/v1/sessions?sort=-services&page%5Bsize%5D=1000"));
        assertTrue(both.indexOf(service.compareTo(otherService) > 0 ? shortLease : other)
                < both.indexOf(service.compareTo(otherService) > 0 ? other : shortLease), "by service name, descending");
        JsonNode paged = get(ofService + "&sort=-lease/ttl&page%5Bsize%5D=1&page%5Bnumber%5D=1");
        assertEquals(List.of(shortLease), ids(paged), "sorted, then paged");
        assertTrue(paged.at("/links/next").asText().contains("sort=-lease%2Fttl"), paged.at("/links").toString());

        assertEquals(List.of(longLease), ids(get(ofService + "&filter%5Blease/ttl%5D=gt(15)")));
        assertEquals(List.of(shortLease, longLease), ids(get(ofService + "&filter%5Blease/ttl%5D=ge(15)")));
        assertEquals(List.of(shortLease, noLease), ids(get(ofService + "&filter%5Blease/ttl%5D=ne(60)")));
        assertEquals(List.of(), ids(get(ofService + "&filter%5Bidle%5D=gt(3600)")), "none idle over an hour");
        assertEquals(3, get(ofService + "&filter%5Bidle%5D=lt(3600)").at("/meta/total").asInt());
        assertEquals(List.of(noLease), ids(get(ofService + "&filter%5Bid%5D=eq(%22" + noLease + "%22)")));
        assertEquals(List.of(shortLease, noLease, longLease),
                ids(get(ofService + "&filter%5Bconnected%5D=le(%22" + DateTimeFormatter.RFC_1123_DATE_TIME
                        .format(ZonedDateTime.now(java.time.ZoneOffset.UTC).plusMinutes(1)).replace(" ", "%20") + "%22)")),
                "dates compare as times");
    }

    @Test
    void aSessionCountsTheLocksItHolds() {
        String service = uniqueService();
        String holder = Sessions.create("{\"Service\":\"" + service + "\"}");
        String idle = Sessions.create("{\"Service\":\"" + service + "\"}");
        assertTrue(Kv.put("locks-held/" + service + "/a?acquire=" + holder, "x"));
        assertTrue(Kv.put("locks-held/" + service + "/b?acquire=" + holder, "x"));
        assertEquals(2, get("/v1/sessions/" + holder).at("/data/attributes/locks").asInt());
        assertEquals(0, get("/v1/sessions/" + idle).at("/data/attributes/locks").asInt());
        String ofService = "/v1/sessions?filter%5Bservices%5D=" + service;
        assertEquals(List.of(holder), ids(get(ofService + "&filter%5Blocks%5D=gt(0)")));
        assertEquals(List.of(holder, idle), ids(get(ofService + "&sort=-locks")));
        assertTrue(Kv.put("locks-held/" + service + "/a?release=" + holder, "x"));
        assertEquals(1, get(ofService + "&filter%5Bid%5D=" + holder).at("/data/0/attributes/locks").asInt());
    }

    @Test
    void aBlockingListingAnswersWhenSessionsOrTheirLocksChange() throws Exception {
        String service = uniqueService();
        String ofService = "/v1/sessions?filter%5Bservices%5D=" + service;
        Response first = given().urlEncodingEnabled(false).when().get(ofService);
        long index = Long.parseLong(first.header("X-Consul-Index"));

        CompletableFuture<Response> created = CompletableFuture.supplyAsync(() -> given().urlEncodingEnabled(false)
                .when().get(ofService + "&index=" + index + "&wait=30s"));
        String id = Sessions.create("{\"Service\":\"" + service + "\"}");
        Response woken = created.get(20, TimeUnit.SECONDS);
        JsonNode listed = JsonApiSchema.assertValid(woken.then().statusCode(200).extract().asString());
        assertEquals(List.of(id), ids(listed));
        long afterCreate = Long.parseLong(woken.header("X-Consul-Index"));
        assertTrue(afterCreate > index, afterCreate + " > " + index);
        assertFalse(listed.at("/links/self").asText().contains("index="), "links leave the waiting out");

        CompletableFuture<Response> locked = CompletableFuture.supplyAsync(() -> given().urlEncodingEnabled(false)
                .when().get(ofService + "&index=" + afterCreate + "&wait=30s"));
        assertTrue(Kv.put("blocking-listing/" + service + "?acquire=" + id, "x"));
        JsonNode withLock = JsonApiSchema.assertValid(locked.get(20, TimeUnit.SECONDS).then().statusCode(200).extract().asString());
        assertEquals(1, withLock.at("/data/0/attributes/locks").asInt(), "a lock taken wakes the listing");

        long start = System.nanoTime();
        Response timedOut = given().urlEncodingEnabled(false).when().get(ofService + "&index="
                + Long.MAX_VALUE + "&wait=1s");
        timedOut.then().statusCode(200);
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(900), "waited for the wait");
    }

    @ParameterizedTest
    @CsvSource({
            "/v1/sessions?index=abc, index",
            "/v1/sessions?wait=5, wait",
            "/v1/sessions?index=1&index=2, index",
            "/v1/services?index=1, index",
            "/v1/sessions/abc?wait=1s, wait",
    })
    void badBlockingParametersAre400NamingTheParameter(String path, String parameter) {
        assertBadParameter(path, parameter);
    }

    private static boolean hasIdentifier(JsonNode data, String id) {
        for (JsonNode identifier : data) {
            if (identifier.get("id").asText().equals(id)) {
                return true;
            }
        }
        return false;
    }

    private static JsonNode named(JsonNode connections, String client) {
        for (JsonNode connection : connections) {
            if (client.equals(connection.at("/attributes/client").asText())) {
                return connection;
            }
        }
        throw new AssertionError("no connection of " + client + " in " + connections);
    }

    private static String uniqueService() {
        return "svc-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
