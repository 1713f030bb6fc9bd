package io.sessiond.operations;

import io.sessiond.testsupport.PackagedInstance;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The smoke set of the prod profile, as deployed: this build's artifact (the jar, or the native executable
 * with {@code -Dnative}) in a process of its own with none of the test profile's settings. The rules the
 * test profile relaxes are checked here: the TTL floor of 10 s, and the signing secret without which the
 * instance must refuse to start.
 */
class ProdProfileIT {

    @Test
    void aTtlBelowTheTenSecondFloorIsRefusedInConsulsWords() throws Exception {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
             PackagedInstance instance = PackagedInstance.start("prod-smoke", url(postgres), Map.of())) {
            instance.api().body("{\"TTL\":\"9s\"}").put("/v1/session/create").then().statusCode(400)
                    .body(equalTo("Invalid Session TTL '9000000000', must be between [10s=24h0m0s]"));
            instance.api().body("{\"TTL\":\"9999ms\"}").put("/v1/session/create").then().statusCode(400)
                    .body(equalTo("Invalid Session TTL '9999000000', must be between [10s=24h0m0s]"));
            instance.api().body("{\"TTL\":\"10s\"}").put("/v1/session/create").then().statusCode(200)
                    .body("ID", matchesPattern("[0-9a-f-]{36}"));
            instance.api().get("/v1/session/list").then().statusCode(200).body("size()", equalTo(1));
        }
    }

    @Test
    void withoutASigningSecretTheInstanceRefusesToStartAndSaysWhy() throws Exception {
        String log;
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
            log = PackagedInstance.failedStart("prod-no-secret", url(postgres), Map.of(), List.of("SESSIOND_WEB_SIGNING_SECRETS"));
        }
        assertTrue(log.contains("sessiond needs a secret to sign web session cookies: set SESSIOND_WEB_SIGNING_SECRETS"
                + " (sessiond.web.signing-secrets; comma-separated, newest first, at least 16 characters each)"), log);
    }

    private static String url(EmbeddedPostgres postgres) {
        return postgres.getJdbcUrl("postgres", "postgres");
    }
}
