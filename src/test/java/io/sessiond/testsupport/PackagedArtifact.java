package io.sessiond.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * The artifact this build packaged, for tests that start sessiond processes themselves: the one Quarkus
 * recorded in {@code target/quarkus-artifact.properties} (the jar, or the native executable with
 * {@code -Dnative}), as {@code @QuarkusIntegrationTest} finds it. Whatever else lies in {@code target} (a
 * native executable of an earlier build, say) is never run, and an artifact older than the compiled classes
 * fails the test instead of testing yesterday's code.
 */
public final class PackagedArtifact {

    private static final Path TARGET = Path.of("target");

    private PackagedArtifact() {
    }

    /** The command that runs the current build's artifact. */
    public static List<String> command() {
        Properties recorded = new Properties();
        Path record = TARGET.resolve("quarkus-artifact.properties");
        if (!Files.isRegularFile(record)) {
            throw new IllegalStateException(record + " is missing: run the integration tests through Maven after packaging"
                    + " (./mvnw verify), which records the artifact it built");
        }
        try (InputStream in = Files.newInputStream(record)) {
            recorded.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String type = recorded.getProperty("type");
        Path artifact = TARGET.resolve(recorded.getProperty("path", ""));
        if (!Files.isRegularFile(artifact)) {
            throw new IllegalStateException(record + " names " + artifact + ", which does not exist");
        }
        requireNewerThanClasses(artifact);
        return switch (type == null ? "" : type) {
            case "native" -> {
                if (!Files.isExecutable(artifact)) {
                    throw new IllegalStateException(artifact + " is not executable");
                }
                yield List.of(artifact.toAbsolutePath().toString());
            }
            case "jar" -> List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                    artifact.toAbsolutePath().toString());
            default -> throw new IllegalStateException(record + " records an artifact of type '" + type
                    + "'; these tests run the jar or the native executable");
        };
    }

    /** An artifact packaged before the classes were last compiled holds older code than this build's. */
    private static void requireNewerThanClasses(Path artifact) {
        try (Stream<Path> classes = Files.walk(TARGET.resolve("classes"))) {
            FileTime newestClass = classes.filter(Files::isRegularFile).map(PackagedArtifact::modified)
                    .max(FileTime::compareTo).orElseThrow(() -> new IllegalStateException("target/classes is empty"));
            FileTime packaged = modified(artifact);
            if (packaged.compareTo(newestClass) < 0) {
                throw new IllegalStateException(artifact + " (" + packaged + ") is older than the compiled classes ("
                        + newestClass + "): it is a stale artifact of an earlier build; package again");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static FileTime modified(Path file) {
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
