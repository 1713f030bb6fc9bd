package io.sessiond.operations;

import io.sessiond.testsupport.PackagedInstance;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

import static org.hamcrest.Matchers.equalTo;

/**
 * The systemd unit's command line runs the packaged application (the native executable with
 * {@code -Dnative}, which the unit is written for): its ExecStart arguments and its environment file, with
 * the test's database in place of the example's, start an instance that is ready. Docker and Kubernetes are
 * not on these machines; {@link DeploymentFilesTest} checks their files.
 */
class DeploymentFilesIT {

    @Test
    void theUnitsCommandLineAndEnvironmentStartAReadyInstance() throws Exception {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
            Properties example = DeploymentFilesTest.unitEnvironment();
            Map<String, String> environment = new HashMap<>();
            example.stringPropertyNames().forEach(name -> environment.put(name, example.getProperty(name)));
            environment.put("QUARKUS_DATASOURCE_JDBC_URL", postgres.getJdbcUrl("postgres", "postgres"));
            environment.put("QUARKUS_DATASOURCE_USERNAME", "postgres");
            environment.put("QUARKUS_DATASOURCE_PASSWORD", "postgres");
            PackagedInstance instance = PackagedInstance.start("systemd", postgres.getJdbcUrl("postgres", "postgres"),
                    environment, DeploymentFilesTest.execStartArguments());
            try {
                instance.api().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
            } finally {
                instance.kill();
                instance.process().waitFor();
            }
        }
    }
}
