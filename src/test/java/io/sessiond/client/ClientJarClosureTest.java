package io.sessiond.client;

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

/**
 * The client jar holds only {@code io.sessiond.client} and {@code io.sessiond.go} (see the client-jar
 * execution in pom.xml): the classes of those packages must reference no other sessiond package.
 */
class ClientJarClosureTest {

    private static final Set<String> CLIENT_JAR_PACKAGES = Set.of("client", "go");
    private static final Pattern SESSIOND_PACKAGE = Pattern.compile("io/sessiond/([a-z]+)/");

    @Test
    void theClientJarsPackagesNeedNoOtherSessiondPackage() throws IOException {
        Set<String> referenced = new TreeSet<>();
        for (String name : CLIENT_JAR_PACKAGES) {
            try (Stream<Path> classes = Files.walk(Path.of("target/classes/io/sessiond", name))) {
                for (Path file : classes.filter(path -> path.toString().endsWith(".class")).toList()) {
                    Matcher reference = SESSIOND_PACKAGE.matcher(
                            new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
                    while (reference.find()) {
                        referenced.add(reference.group(1));
                    }
                }
            }
        }
        assertEquals(new TreeSet<>(CLIENT_JAR_PACKAGES), referenced);
    }
}
