package io.sessiond.cli;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The CLI jar (src/assembly/cli-jar.xml) holds {@code io.sessiond.cli}, the client SDK and the Go duration
 * parser, plus picocli and Jackson: those packages must reference no other sessiond package, and the SDK's
 * none of picocli (its own jar stays JDK and Jackson only).
 */
class CliJarClosureTest {

    private static final Set<String> CLI_JAR_PACKAGES = Set.of("cli", "client", "go");
    private static final Pattern SESSIOND_PACKAGE = Pattern.compile("io/sessiond/([a-z]+)/");

    @Test
    void theCliJarsPackagesNeedNoOtherSessiondPackage() throws IOException {
        Set<String> referenced = new TreeSet<>();
        for (String name : CLI_JAR_PACKAGES) {
            for (String classFile : classFiles(name)) {
                Matcher reference = SESSIOND_PACKAGE.matcher(classFile);
                while (reference.find()) {
                    referenced.add(reference.group(1));
                }
            }
        }
        assertEquals(new TreeSet<>(CLI_JAR_PACKAGES), referenced);
    }

    @Test
    void theAssemblyPacksExactlyThesePackages() throws IOException {
        String descriptor = Files.readString(Path.of("src/assembly/cli-jar.xml"), StandardCharsets.UTF_8);
        Set<String> included = new TreeSet<>();
        Matcher include = Pattern.compile("<include>io/sessiond/([a-z]+)/\\*\\*</include>").matcher(descriptor);
        while (include.find()) {
            included.add(include.group(1));
        }
        assertEquals(new TreeSet<>(CLI_JAR_PACKAGES), included);
    }

    @Test
    void theSdkDoesNotUsePicocli() throws IOException {
        for (String name : Set.of("client", "go")) {
            for (String classFile : classFiles(name)) {
                assertFalse(classFile.contains("picocli/"), "io.sessiond." + name + " references picocli");
            }
        }
    }

    private static Iterable<String> classFiles(String sessiondPackage) throws IOException {
        try (Stream<Path> classes = Files.walk(Path.of("target/classes/io/sessiond", sessiondPackage))) {
            return classes.filter(path -> path.toString().endsWith(".class")).map(path -> {
                try {
                    return new String(Files.readAllBytes(path), StandardCharsets.ISO_8859_1);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
        }
    }
}
