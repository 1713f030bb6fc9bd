package io.sessiond.devdb;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The dev-mode PostgreSQL: started once per JVM. Live reload builds a new class loader, so the URL is
 * remembered in a system property rather than a static field; the database keeps running across reloads
 * and stops with the JVM.
 */
final class EmbeddedDevDatabase {

    record Connection(String jdbcUrl, String username, String password) {
    }

    private static final String URL_PROPERTY = "sessiond-devdb.jdbc-url";
    private static final String USER = "postgres";

    private EmbeddedDevDatabase() {
    }

    static synchronized Connection startOnce() {
        String url = System.getProperty(URL_PROPERTY);
        if (url == null) {
            try {
                EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        postgres.close();
                    } catch (IOException ignored) {
                        // the JVM is going away; the data directory is temporary
                    }
                }, "sessiond-dev-postgres-stop"));
                url = postgres.getJdbcUrl(USER, USER);
            } catch (IOException e) {
                throw new UncheckedIOException("Could not start the embedded dev-mode PostgreSQL", e);
            }
            System.setProperty(URL_PROPERTY, url);
        }
        return new Connection(url, USER, USER);
    }
}
