package io.sessiond.fault;

import io.sessiond.testsupport.FaultFigures;
import io.sessiond.testsupport.FaultLoad;
import io.sessiond.testsupport.PackagedInstance;
import io.sessiond.testsupport.PostgresServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * PostgreSQL restarts under load ({@link FaultLoad}: sessions with TTL 10 s renewed, KV writes, short-lived
 * sessions) against a packaged instance with the production settings: {@code pg_ctl restart -m fast}, {@code
 * -m immediate}, and a 20 s stop, longer than the writers' sessions could live without renewing. Nothing
 * acknowledged is lost, every failed request is a 503, the first request after PostgreSQL is ready succeeds
 * within 2 s, and no writer's session or lock ends (the grace after an outage, docs/postgresql.md).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PostgresRestartIT {

    private static final Duration BEFORE = Duration.ofSeconds(2);
    private static final Duration AFTER = Duration.ofSeconds(4);
    private static final Duration LONG_STOP = Duration.ofSeconds(20);

    private static PostgresServer postgres;
    private static PackagedInstance instance;

    @BeforeAll
    static void start() throws Exception {
        postgres = PostgresServer.primary();
        instance = PackagedInstance.start("restart-a", postgres.jdbcUrl(), Map.of());
    }

    @AfterAll
    static void stop() throws Exception {
        if (instance != null) {
            instance.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    @Order(1)
    void fastRestart() throws Exception {
        restartUnderLoad("fast");
    }

    @Test
    @Order(2)
    void immediateRestart() throws Exception {
        restartUnderLoad("immediate");
    }

    @Test
    @Order(3)
    void twentySecondStop() throws Exception {
        FaultLoad load = FaultLoad.start("stop-20s", 4, List.of(instance.baseUrl()));
        load.runFor(BEFORE);
        postgres.stop("fast");
        load.runFor(LONG_STOP);
        postgres.start();
        long ready = System.nanoTime();
        assertSurvived(load, "PostgreSQL stopped 20 s (-m fast)", ready);
    }

    private static void restartUnderLoad(String mode) throws Exception {
        FaultLoad load = FaultLoad.start("restart-" + mode, 4, List.of(instance.baseUrl()));
        load.runFor(BEFORE);
        postgres.restart(mode);
        long ready = System.nanoTime();
        assertSurvived(load, "PostgreSQL restart -m " + mode, ready);
    }

    private static void assertSurvived(FaultLoad load, String fault, long ready) throws Exception {
        long firstSuccess = load.millisToFirstSuccessAfter(ready);
        load.runFor(AFTER);
        FaultFigures figures = load.figures(fault, instance.baseUrl(), firstSuccess).print();
        assertEquals(0, figures.lost(), fault + ": acknowledged writes lost");
        assertTrue(Set.of("503").containsAll(figures.failed().keySet()), fault + ": failed requests " + figures.failedText()
                + "\n" + instance.log());
        assertTrue(figures.millisToFirstSuccess() < 2000, fault + ": first success " + figures.millisToFirstSuccess()
                + " ms after PostgreSQL was ready");
        assertEquals(0, figures.sessionsInvalidated(), fault + ": writers' sessions or locks ended\n" + instance.log());
        assertTrue(figures.acknowledged() > 0, fault + ": nothing was written");
    }
}
