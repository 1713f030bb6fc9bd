package io.sessiond.index;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The change index under concurrent writers of one table, which advance it with a single statement: every
 * transaction gets its own index, and the table's index never goes back, so the last committed value is
 * the largest one handed out (a writer that took its value before waiting for the row lock would store a
 * smaller one after a larger one had committed).
 */
@QuarkusTest
class ChangeIndexTest {

    private static final int WRITERS = 8;
    private static final int ADVANCES_EACH = 25;

    @Inject
    ChangeIndex changeIndex;

    @Inject
    DataSource dataSource;

    @Test
    void concurrentAdvancesOfOneTableNeverStoreASmallerIndex() throws Exception {
        List<Long> taken = Collections.synchronizedList(new ArrayList<>());
        ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                done.add(writers.submit(() -> {
                    try (Connection connection = dataSource.getConnection()) {
                        connection.setAutoCommit(false);
                        for (int i = 0; i < ADVANCES_EACH; i++) {
                            taken.add(changeIndex.advance(connection, Table.ACL).index());
                            try (Statement hold = connection.createStatement()) {
                                // Holding the row lock a moment makes the other writers queue on it.
                                hold.execute("SELECT pg_sleep(0.002)");
                            }
                            connection.commit();
                        }
                        connection.setAutoCommit(true);
                    }
                    return null;
                }));
            }
            for (Future<?> writer : done) {
                writer.get(60, TimeUnit.SECONDS);
            }
        } finally {
            writers.shutdownNow();
        }
        assertEquals(WRITERS * ADVANCES_EACH, new HashSet<>(taken).size(), "every transaction got its own index");
        long stored = QuarkusTransaction.requiringNew().call(() -> changeIndex.current(Table.ACL));
        assertEquals(Collections.max(taken), stored, "the table's index is the largest one handed out");
    }

    @Test
    void advancingSeveralTablesGivesThemOneIndex() throws Exception {
        // ACLs are off in this profile and services are written only by catalog tests: nothing else moves them now.
        long before = QuarkusTransaction.requiringNew().call(() -> changeIndex.current(Table.ACL));
        WriteStamp stamp;
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            stamp = changeIndex.advance(connection, Table.SERVICES, Table.ACL);
            connection.commit();
            connection.setAutoCommit(true);
        }
        assertTrue(stamp.index() > before);
        assertEquals(stamp.index(), QuarkusTransaction.requiringNew().call(() -> changeIndex.current(Table.ACL)));
        assertEquals(stamp.index(), QuarkusTransaction.requiringNew().call(() -> changeIndex.current(Table.SERVICES)));
    }
}
