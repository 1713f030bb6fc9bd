package io.sessiond.session;

import io.sessiond.testsupport.PackagedInstance;
import io.sessiond.testsupport.Waits;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Sweeping exactly once with two separate processes, not two threads: two packaged instances on one database,
 * both sweeping, the sessions of both coming due together. Each session must be ended by exactly one of
 * them: the TTL invalidations the two count sum to the number of sessions (a session ended twice, or
 * counted by both, makes the sum larger; one never ended stays in the list), and each session's key is
 * released.
 */
class SweepOnceAcrossInstancesIT {

    private static final int SESSIONS = 300;

    /**
     * A 100 ms TTL floor (the prod profile's is 10 s), and small sweep batches so that a due backlog takes
     * many sweeps, which the two instances' sweepers contend for.
     */
    private static final Map<String, String> SETTINGS = Map.of("SESSIOND_SESSION_TTL_MIN", "100ms",
            "SESSIOND_SWEEPER_BATCH_SIZE", "7");

    private static final Pattern TTL_INVALIDATIONS =
            Pattern.compile("(?m)^sessiond_sessions_invalidated_total\\{[^}]*cause=\"ttl\"[^}]*} (\\S+)$");

    @Test
    void eachExpiredSessionIsEndedByExactlyOneOfTwoInstances() throws Exception {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
             PackagedInstance a = PackagedInstance.start("sweeper-a", postgres.getJdbcUrl("postgres", "postgres"), SETTINGS);
             PackagedInstance b = PackagedInstance.start("sweeper-b", postgres.getJdbcUrl("postgres", "postgres"), SETTINGS)) {
            sweepBoth(a, b);
        }
    }

    /** Sessions made alternately on {@code a} and {@code b}, each holding a key, expire; each must end once. */
    private static void sweepBoth(PackagedInstance a, PackagedInstance b) throws Exception {
        List<PackagedInstance> instances = List.of(a, b);
        Set<String> created = new HashSet<>();
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < SESSIONS; i++) {
            PackagedInstance instance = instances.get(i % 2);
            String session = instance.api().body("{\"TTL\":\"1s\",\"LockDelay\":\"0s\"}").put("/v1/session/create")
                    .then().statusCode(200).extract().path("ID");
            created.add(session);
            String key = "sweep-once/" + i;
            instance.api().body("held").put("/v1/kv/" + key + "?acquire=" + session).then().statusCode(200)
                    .body(equalTo("true"));
            keys.add(key);
        }
        assertEquals(SESSIONS, created.size());

        Waits.until(() -> a.api().get("/v1/session/list").then().statusCode(200).extract().jsonPath().getList("ID").isEmpty(),
                Duration.ofSeconds(60), "the sessions did not all expire");

        double endedByA = ttlInvalidations(a);
        double endedByB = ttlInvalidations(b);
        System.out.printf("Two instances swept %d sessions: %.0f by sweeper-a, %.0f by sweeper-b%n",
                SESSIONS, endedByA, endedByB);
        assertEquals(SESSIONS, endedByA + endedByB, "TTL invalidations counted by the two instances");
        for (String key : keys) {
            // Whichever instance ended the session released its lock, as its behavior says.
            b.api().get("/v1/kv/" + key).then().statusCode(200).body("[0].LockIndex", equalTo(1))
                    .body("[0].Session", equalTo(null));
        }
        b.api().get("/v1/session/list").then().statusCode(200).body("size()", equalTo(0));
    }

    /** The instance's count of sessions ended by TTL, from its Prometheus metrics (0 before the first). */
    private static double ttlInvalidations(PackagedInstance instance) {
        String metrics = instance.api().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher line = TTL_INVALIDATIONS.matcher(metrics);
        return line.find() ? Double.parseDouble(line.group(1)) : 0;
    }
}
