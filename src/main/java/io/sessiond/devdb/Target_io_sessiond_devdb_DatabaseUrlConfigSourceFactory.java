package io.sessiond.devdb;

import com.oracle.svm.core.annotate.Substitute;
import com.oracle.svm.core.annotate.TargetClass;
import org.eclipse.microprofile.config.spi.ConfigSource;

import java.util.List;

/**
 * What the native executable has instead of {@link DatabaseUrlConfigSourceFactory}'s dev-mode database
 * start. The embedded PostgreSQL is not packaged, and the native-image builder links every method it can
 * reach at build time: the original method, which leads to the embedded database's classes, would fail
 * the build. Only the builder reads this class; on the JVM nothing refers to it.
 */
@TargetClass(DatabaseUrlConfigSourceFactory.class)
final class Target_io_sessiond_devdb_DatabaseUrlConfigSourceFactory {

    /** Unreachable in practice: the factory calls it only when the embedded database's classes are present. */
    @Substitute
    private static List<ConfigSource> embeddedDevDatabase() {
        throw new IllegalStateException("A native executable has no embedded PostgreSQL: set QUARKUS_DATASOURCE_JDBC_URL");
    }
}
