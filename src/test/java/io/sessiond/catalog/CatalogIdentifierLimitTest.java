package io.sessiond.catalog;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

/**
 * Node names, service IDs and names, and check IDs are keys of the catalog's indexes, which PostgreSQL caps
 * at about 2.7 KB an entry: a longer one is refused with 400 naming it (it was a 500 from the index), and
 * nothing is written.
 */
@QuarkusTest
class CatalogIdentifierLimitTest {

    private static final String TOO_LONG = "x".repeat(CatalogRegistration.MAX_IDENTIFIER_BYTES + 1);

    @Test
    void aCheckIdTooLongToIndexIs400AndWritesNothing() {
        String index = given().get("/v1/catalog/nodes").then().statusCode(200).extract().header("X-Consul-Index");
        given().body("{\"Name\":\"" + "x".repeat(600_000) + "\",\"TTL\":\"10s\"}").put("/v1/agent/check/register")
                .then().statusCode(400).body(equalTo("Check ID is too long: 600000 bytes (at most 1024)"));
        given().get("/v1/catalog/nodes").then().statusCode(200).header("X-Consul-Index", equalTo(index));
    }

    @Test
    void aNodeOrServiceTooLongToIndexIs400() {
        given().body("{\"Node\":\"" + TOO_LONG + "\",\"Address\":\"10.0.0.1\"}").put("/v1/catalog/register")
                .then().statusCode(400).body(equalTo("Node is too long: 1025 bytes (at most 1024)"));
        given().body("{\"Node\":\"short-node\",\"Address\":\"10.0.0.1\",\"Service\":{\"Service\":\"" + TOO_LONG + "\"}}")
                .put("/v1/catalog/register")
                .then().statusCode(400).body(equalTo("Service name is too long: 1025 bytes (at most 1024)"));
    }

    @Test
    void anIdentifierAtTheLimitIsStored() {
        String atLimit = "n".repeat(CatalogRegistration.MAX_IDENTIFIER_BYTES);
        given().body("{\"Node\":\"" + atLimit + "\",\"Address\":\"10.0.0.1\"}").put("/v1/catalog/register")
                .then().statusCode(200);
        given().put("/v1/catalog/deregister").then().statusCode(400);
        given().body("{\"Node\":\"" + atLimit + "\"}").put("/v1/catalog/deregister").then().statusCode(200);
    }
}
