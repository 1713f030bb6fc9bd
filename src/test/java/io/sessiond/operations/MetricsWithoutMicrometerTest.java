package io.sessiond.operations;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.sessiond.testsupport.Kv;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A build without Micrometer ({@code -Dquarkus.micrometer.enabled=false}, the footprint's way out, see
 * docs/native.md): no {@code /q/metrics}, but Consul's {@code /v1/agent/metrics} still counts, from sessiond's
 * own registry.
 */
@QuarkusTest
@TestProfile(MetricsWithoutMicrometerTest.WithoutMicrometer.class)
class MetricsWithoutMicrometerTest {

    public static class WithoutMicrometer implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.micrometer.enabled", "false");
        }
    }

    @Test
    void consulsEndpointCountsWithoutQuarkusMetrics() {
        given().get("/q/metrics").then().statusCode(404);
        assertTrue(Kv.put("no-micrometer-" + UUID.randomUUID(), "v"));
        given().get("/v1/agent/metrics?format=prometheus").then().statusCode(200)
                .body(containsString("consul_kvs_apply_count 1\n"));
    }
}
