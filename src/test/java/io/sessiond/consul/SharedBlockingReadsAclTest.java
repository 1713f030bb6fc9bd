package io.sessiond.consul;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.sessiond.acl.AclDenyProfile;
import io.sessiond.testsupport.AclTokens;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;

import static io.restassured.RestAssured.given;
import static io.sessiond.testsupport.ParkedQueries.answers;
import static io.sessiond.testsupport.ParkedQueries.awaitParked;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Callers with different tokens waiting on the same listing share its database read, and each still
 * gets only what its own token may read.
 */
@QuarkusTest
@TestProfile(AclDenyProfile.class)
class SharedBlockingReadsAclTest {

    private static final int WAITERS_PER_TOKEN = 50;

    @TestHTTPResource("/")
    URL server;

    @Inject
    DataSource database;

    @Inject
    SharedReads sharedReads;

    @Inject
    BlockingQuery blockingQuery;

    private final HttpClient client = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(4)).build();

    @Test
    void eachWaiterOfASharedListingSeesOnlyWhatItsTokenMayRead() throws Exception {
        String management = AclTokens.management(database);
        String prefix = "team-" + UUID.randomUUID().toString().substring(0, 8);
        String narrow = AclTokens.withRules(management, "{\"key_prefix\":{\"" + prefix + "/a\":{\"policy\":\"read\"}}}");
        String wide = AclTokens.withRules(management, "{\"key_prefix\":{\"" + prefix + "/\":{\"policy\":\"read\"}}}");
        put(management, prefix + "/a", "a");
        put(management, prefix + "/b", "before");
        String index = given().header("X-Consul-Token", management).when().get("/v1/kv/" + prefix + "/?recurse")
                .then().statusCode(200).extract().header("X-Consul-Index");
        String listing = "/v1/kv/" + prefix + "/?recurse&index=" + index + "&wait=60s";
        // One token in the header, the other as ?token=: the query parameter is not part of what is read.
        List<CompletableFuture<HttpResponse<String>>> ofNarrow = park(listing, narrow);
        List<CompletableFuture<HttpResponse<String>>> ofWide = park(listing + "&token=" + wide, null);
        awaitParked(blockingQuery::parked, 2 * WAITERS_PER_TOKEN);
        long readsBefore = sharedReads.reads();

        put(management, prefix + "/b", "after");

        for (HttpResponse<String> response : answers(ofNarrow)) {
            assertEquals(200, response.statusCode());
            assertTrue(response.body().contains("\"Key\":\"" + prefix + "/a\""), response.body());
            assertFalse(response.body().contains(prefix + "/b"), "the narrow token saw " + response.body());
            assertEquals("true", response.headers().firstValue("X-Consul-Results-Filtered-By-ACLs").orElse(null));
            assertTrue(Long.parseLong(response.headers().firstValue("X-Consul-Index").orElseThrow()) > Long.parseLong(index));
        }
        for (HttpResponse<String> response : answers(ofWide)) {
            assertEquals(200, response.statusCode());
            assertTrue(response.body().contains("\"Key\":\"" + prefix + "/a\""), response.body());
            assertTrue(response.body().contains("\"Value\":\"YWZ0ZXI=\""), response.body());
            assertTrue(response.headers().firstValue("X-Consul-Results-Filtered-By-ACLs").isEmpty());
        }
        assertEquals(1, sharedReads.reads() - readsBefore, "database reads for " + 2 * WAITERS_PER_TOKEN + " woken waiters");
    }

    private static void put(String token, String key, String value) {
        given().header("X-Consul-Token", token).body(value).when().put("/v1/kv/" + key).then().statusCode(200);
    }

    private List<CompletableFuture<HttpResponse<String>>> park(String pathAndQuery, String headerToken) throws Exception {
        URI uri = server.toURI().resolve(pathAndQuery);
        return IntStream.range(0, WAITERS_PER_TOKEN)
                .mapToObj(i -> {
                    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(90));
                    if (headerToken != null) {
                        request.header("X-Consul-Token", headerToken);
                    }
                    return client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString());
                })
                .toList();
    }
}
