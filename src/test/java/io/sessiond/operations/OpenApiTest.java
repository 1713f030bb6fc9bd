package io.sessiond.operations;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.sessiond.testsupport.ResourceMethods;
import jakarta.ws.rs.Path;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code /q/openapi} describes every JAX-RS resource method of the three APIs (found by scanning the
 * application's classes, so a new one is checked without editing this test), each tagged with its API and
 * with that API's errors in its format.
 */
@QuarkusTest
class OpenApiTest {

    private static final Set<String> APIS = Set.of(OpenApiErrors.CONSUL, OpenApiErrors.ADMIN, OpenApiErrors.WEB_SESSIONS);

    @Test
    void everyResourceMethodIsInTheDocumentWithItsApisErrors() throws Exception {
        JsonPath document = given().get("/q/openapi?format=json").then().statusCode(200).extract().jsonPath();
        Map<String, Map<String, Object>> paths = document.getMap("paths");
        List<String> missing = new ArrayList<>();
        int operations = 0;
        for (Class<?> resource : ResourceMethods.resourceClasses()) {
            for (Method method : resource.getDeclaredMethods()) {
                if (!ResourceMethods.isResourceMethod(method) || ResourceMethods.httpMethod(method).isEmpty()) {
                    continue;
                }
                operations++;
                String path = template(resource, method);
                String verb = ResourceMethods.httpMethod(method).get().toLowerCase(Locale.ROOT);
                Map<String, Object> item = paths.get(path);
                if (item == null || !item.containsKey(verb)) {
                    missing.add(verb.toUpperCase(Locale.ROOT) + " " + path + " (" + resource.getSimpleName() + "." + method.getName() + ")");
                    continue;
                }
                checkOperation(document, path, verb, missing);
            }
        }
        assertEquals(List.of(), missing, "not described as they should be, of " + paths.keySet());
        assertTrue(operations >= 50, "found only " + operations + " resource methods");
    }

    @Test
    void theDocumentIsTheSameEachTimeItIsAskedFor() {
        String first = given().get("/q/openapi?format=json").then().statusCode(200).extract().asString();
        String second = given().get("/q/openapi?format=json").then().statusCode(200).extract().asString();
        String yaml = given().get("/q/openapi").then().statusCode(200).extract().asString();
        assertEquals(first, second);
        assertEquals(given().get("/q/openapi").then().extract().asString(), yaml);
        assertTrue(first.contains("\"/v1/session/create\""), "the document lists the routes");
    }

    @Test
    void successStatusesOtherThan200AreDeclared() {
        JsonPath document = given().get("/q/openapi?format=json").then().statusCode(200).extract().jsonPath();
        assertTrue(document.getMap("paths.'/v1/web-sessions'.post.responses").containsKey("201"));
        assertTrue(document.getMap("paths.'/v1/web-sessions/{id}'.delete.responses").containsKey("204"));
        assertTrue(document.getMap("paths.'/v1/web-sessions/{id}'.put.responses").containsKey("412"));
        assertTrue(document.getMap("paths.'/v1/sessions/{id}'.delete.responses").containsKey("202"));
    }

    @SuppressWarnings("unchecked")
    private static void checkOperation(JsonPath document, String path, String verb, List<String> problems) {
        String operation = "paths.'" + path + "'." + verb;
        List<String> tags = document.getList(operation + ".tags");
        if (tags == null || tags.stream().filter(APIS::contains).count() != 1) {
            problems.add(verb + " " + path + " is tagged " + tags + ", not with exactly one of " + APIS);
            return;
        }
        Map<String, Object> forbidden = response(document, operation + ".responses.'403'").get("content") instanceof Map<?, ?> content
                ? (Map<String, Object>) content : null;
        String expected = tags.contains(OpenApiErrors.CONSUL) ? "text/plain" : "application/vnd.api+json";
        if (forbidden == null || !forbidden.containsKey(expected)) {
            problems.add(verb + " " + path + ": its 403 is not " + expected + " but " + forbidden);
        }
        if (!document.getMap(operation + ".responses").containsKey("503")) {
            problems.add(verb + " " + path + " does not say it answers 503 while the database is unreachable");
        }
    }

    /** The response at {@code at}, or the one among the components' responses that it refers to. */
    private static Map<String, Object> response(JsonPath document, String at) {
        Map<String, Object> response = document.getMap(at);
        if (response != null && response.get("$ref") instanceof String ref && ref.startsWith("#/components/responses/")) {
            return document.getMap("components.responses.'" + ref.substring("#/components/responses/".length()) + "'");
        }
        return response == null ? Map.of() : response;
    }

    /** The path as OpenAPI writes it: the class's and the method's @Path, regular expressions of parameters removed. */
    private static String template(Class<?> resource, Method method) {
        String path = "/" + value(resource.getAnnotation(Path.class)) + "/" + value(method.getAnnotation(Path.class));
        path = path.replaceAll("\\{\\s*(\\w+)\\s*:[^}]*}", "{$1}").replaceAll("/+", "/");
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    private static String value(Path path) {
        return path == null ? "" : path.value();
    }
}
