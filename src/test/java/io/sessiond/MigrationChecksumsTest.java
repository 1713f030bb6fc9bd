package io.sessiond;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The production profile starts without Flyway's checksum validation (it costs a parse of every migration
 * on every start-up), so this is where an edited migration is caught instead: a migration, once released,
 * never changes, and each one's Flyway checksum is pinned in {@code db/migration-checksums.txt}. A new
 * migration gets its line there; an existing line never changes.
 */
@QuarkusTest
class MigrationChecksumsTest {

    @Inject
    Flyway flyway;

    @Test
    void everyMigrationHasItsPinnedChecksum() throws IOException {
        String actual = Arrays.stream(flyway.info().all())
                .map(MigrationChecksumsTest::line)
                .collect(Collectors.joining("\n", "", "\n"));
        assertEquals(pinned(), actual, "a migration was edited, or a new one has no line in db/migration-checksums.txt");
    }

    private static String line(MigrationInfo migration) {
        return "V" + migration.getVersion() + " " + migration.getChecksum() + " " + migration.getScript();
    }

    private static String pinned() throws IOException {
        try (InputStream in = MigrationChecksumsTest.class.getResourceAsStream("/db/migration-checksums.txt")) {
            return in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
