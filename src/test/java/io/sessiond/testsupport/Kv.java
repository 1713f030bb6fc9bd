package io.sessiond.testsupport;

import io.restassured.response.Response;

import static io.restassured.RestAssured.given;

/** KV calls through the Consul API, shared by the test classes. */
public final class Kv {

    private Kv() {
    }

    /** PUTs {@code value} to {@code /v1/kv/<keyAndQuery>} and returns Consul's boolean answer. */
    public static boolean put(String keyAndQuery, String value) {
        return Boolean.parseBoolean(given().body(value).when().put("/v1/kv/" + keyAndQuery)
                .then().statusCode(200).extract().asString());
    }

    public static Response get(String keyAndQuery) {
        return given().when().get("/v1/kv/" + keyAndQuery);
    }

    public static long modifyIndex(String key) {
        return get(key).then().statusCode(200).extract().jsonPath().getLong("[0].ModifyIndex");
    }

    public static long index(Response response) {
        return Long.parseLong(response.header("X-Consul-Index"));
    }
}
