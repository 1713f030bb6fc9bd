package io.sessiond.schema;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.sessiond.testsupport.Kv;
import io.sessiond.testsupport.Sessions;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged application's configuration (the prod profile), which the other tests do not run: no Flyway at
 * start-up unless the schema is behind ({@link SchemaMigration}), Hibernate started offline, no schema
 * validation. A new profile gets a new test database, so this start-up migrates an empty one.
 */
@QuarkusTest
@TestProfile(PackagedStartupTest.Packaged.class)
class PackagedStartupTest {

    public static class Packaged implements QuarkusTestProfile {
        @Override
        public String getConfigProfile() {
            return "prod";
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            // The deferred OpenAPI document service works only where one class loader loads the extension and
            // it, as in the packaged application, not in a @QuarkusTest (DeferredOpenApiDocumentServiceTest).
            return Map.of("sessiond.web.signing-secrets", "packaged-startup-test-not-a-secret",
                    "quarkus.arc.exclude-types", "io.quarkus.smallrye.openapi.runtime.DeferredOpenApiDocumentService");
        }
    }

    @Inject
    AgroalDataSource dataSource;

    @Test
    void startUpMigratedTheSchemaAndSessionsLocksAndKeysWork() throws SQLException {
        assertTrue(SchemaMigration.isCurrent(dataSource, "flyway_schema_history"));

        String session = Sessions.create("{\"Name\":\"packaged\"}");
        given().when().get("/v1/session/info/" + session).then().statusCode(200).body("[0].Name", equalTo("packaged"));
        assertTrue(Kv.put("packaged/leader?acquire=" + session, "me"));
        Kv.get("packaged/leader").then().statusCode(200).body("[0].Session", equalTo(session));

        given().when().put("/v1/session/destroy/" + session).then().statusCode(200).body(equalTo("true"));
        Kv.get("packaged/leader").then().statusCode(200).body("[0].Session", nullValue());
    }
}
