package io.sessiond.operations;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What can be checked of the deployment files on machines without Docker or Kubernetes: the manifests parse
 * and are wired together (probes on the health endpoints, the Service and the PodDisruptionBudget on the
 * Deployment's pods, a grace period longer than the shutdown), the Dockerfiles copy what the build makes,
 * and the systemd unit stops the service the way the shutdown expects. {@code DeploymentFilesIT} runs the
 * unit's command line.
 */
class DeploymentFilesTest {

    static final Path KUBERNETES = Path.of("src/main/kubernetes/sessiond.yaml");
    static final Path UNIT = Path.of("src/main/systemd/sessiond.service");
    static final Path UNIT_ENVIRONMENT = Path.of("src/main/systemd/sessiond.env");

    @Test
    void theKubernetesManifestsParseAndAreWiredToTheHealthEndpoints() throws IOException {
        Map<String, JsonNode> byKind = new LinkedHashMap<>();
        try (MappingIterator<JsonNode> documents = new YAMLMapper().readerFor(JsonNode.class).readValues(KUBERNETES.toFile())) {
            while (documents.hasNext()) {
                JsonNode document = documents.next();
                byKind.put(document.path("kind").asText(), document);
            }
        }
        assertEquals(List.of("Secret", "Deployment", "Service", "PodDisruptionBudget"), List.copyOf(byKind.keySet()));

        JsonNode deployment = byKind.get("Deployment");
        assertTrue(deployment.at("/spec/replicas").asInt() >= 2, "several replicas on one database");
        JsonNode podLabels = deployment.at("/spec/template/metadata/labels");
        assertEquals(deployment.at("/spec/selector/matchLabels"), podLabels);
        assertEquals(podLabels, byKind.get("Service").at("/spec/selector"));
        assertEquals(podLabels, byKind.get("PodDisruptionBudget").at("/spec/selector/matchLabels"));
        assertTrue(byKind.get("PodDisruptionBudget").at("/spec/minAvailable").asInt() < deployment.at("/spec/replicas").asInt());

        JsonNode container = deployment.at("/spec/template/spec/containers/0");
        assertEquals(8500, container.at("/ports/0/containerPort").asInt());
        assertEquals("/q/health/started", container.at("/startupProbe/httpGet/path").asText());
        assertEquals("/q/health/ready", container.at("/readinessProbe/httpGet/path").asText());
        assertEquals("/q/health/live", container.at("/livenessProbe/httpGet/path").asText());
        assertEquals("sessiond", container.at("/envFrom/0/secretRef/name").asText());
        assertEquals(byKind.get("Secret").at("/metadata/name").asText(), "sessiond");
        for (String required : List.of("QUARKUS_DATASOURCE_JDBC_URL", "QUARKUS_DATASOURCE_USERNAME",
                "QUARKUS_DATASOURCE_PASSWORD", "SESSIOND_WEB_SIGNING_SECRETS")) {
            assertTrue(byKind.get("Secret").at("/stringData").has(required), required + " missing from the Secret");
        }
        Map<String, String> env = new LinkedHashMap<>();
        container.path("env").forEach(variable -> env.put(variable.path("name").asText(), variable.path("value").asText()));
        assertEquals("metadata.name", container.at("/env/0/valueFrom/fieldRef/fieldPath").asText());
        assertEquals("SESSIOND_NODE_NAME", container.at("/env/0/name").asText());
        Duration shutdown = Duration.parse("PT" + env.get("QUARKUS_SHUTDOWN_DELAY").toUpperCase()).plus(shutdownTimeout());
        assertTrue(deployment.at("/spec/template/spec/terminationGracePeriodSeconds").asLong() > shutdown.toSeconds(),
                "Kubernetes would kill the pod before its graceful shutdown's end (" + shutdown + ")");
    }

    @Test
    void theDockerfilesCopyWhatTheBuildMakesAndExposeConsulsPort() throws IOException {
        String jvm = Files.readString(Path.of("src/main/docker/Dockerfile.jvm"));
        for (String layer : List.of("target/quarkus-app/lib/", "target/quarkus-app/*.jar", "target/quarkus-app/app/",
                "target/quarkus-app/quarkus/")) {
            assertTrue(jvm.contains("COPY --chown=185 " + layer + " "), layer + " is not copied");
        }
        assertTrue(jvm.contains("\nEXPOSE 8500\n"));
        String nativeMicro = Files.readString(Path.of("src/main/docker/Dockerfile.native-micro"));
        assertTrue(nativeMicro.contains("\nFROM quay.io/quarkus/quarkus-micro-image:"), "Quarkus's micro base image");
        assertTrue(nativeMicro.contains(" target/*-runner /work/application\n"), "the native build's executable");
        assertTrue(nativeMicro.contains("\nEXPOSE 8500\n"));
    }

    @Test
    void theSystemdUnitStopsWithSigtermAndWaitsLongerThanTheShutdown() throws IOException {
        Map<String, String> service = unitSection("Service");
        assertEquals("SIGTERM", service.get("KillSignal"));
        assertTrue(Long.parseLong(service.get("TimeoutStopSec")) > shutdownTimeout().toSeconds());
        assertTrue(service.get("ExecStart").startsWith("/usr/local/bin/sessiond"), service.get("ExecStart"));
        assertEquals("/etc/sessiond/sessiond.env", service.get("EnvironmentFile"));
        Properties environment = unitEnvironment();
        for (String required : List.of("QUARKUS_DATASOURCE_JDBC_URL", "QUARKUS_DATASOURCE_USERNAME",
                "QUARKUS_DATASOURCE_PASSWORD", "SESSIOND_WEB_SIGNING_SECRETS")) {
            assertNotNull(environment.getProperty(required), required + " missing from " + UNIT_ENVIRONMENT);
        }
    }

    /** The [section] of the unit, each key's last value. */
    static Map<String, String> unitSection(String section) throws IOException {
        Map<String, String> keys = new LinkedHashMap<>();
        String current = null;
        for (String line : Files.readAllLines(UNIT)) {
            Matcher header = Pattern.compile("^\\[(\\w+)]$").matcher(line.strip());
            if (header.matches()) {
                current = header.group(1);
            } else if (section.equals(current) && line.contains("=") && !line.startsWith("#")) {
                keys.put(line.substring(0, line.indexOf('=')).strip(), line.substring(line.indexOf('=') + 1).strip());
            }
        }
        return keys;
    }

    /** The arguments the unit's ExecStart gives the executable. */
    static List<String> execStartArguments() throws IOException {
        List<String> words = new ArrayList<>(List.of(unitSection("Service").get("ExecStart").split("\\s+")));
        words.remove(0);
        return words;
    }

    static Properties unitEnvironment() throws IOException {
        Properties environment = new Properties();
        try (var reader = Files.newBufferedReader(UNIT_ENVIRONMENT)) {
            environment.load(reader);
        }
        return environment;
    }

    /** quarkus.shutdown.timeout as application.properties sets it. */
    private static Duration shutdownTimeout() throws IOException {
        Properties properties = new Properties();
        try (var reader = Files.newBufferedReader(Path.of("src/main/resources/application.properties"))) {
            properties.load(reader);
        }
        return Duration.parse("PT" + properties.getProperty("quarkus.shutdown.timeout").toUpperCase());
    }
}
