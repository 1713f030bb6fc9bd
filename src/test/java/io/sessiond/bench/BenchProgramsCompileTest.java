package io.sessiond.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * The load generators under src/bench are single-file programs the benchmark scripts run from source
 * ({@code java X.java}); no Maven phase compiles them, so this test does, and a change that breaks one
 * fails the build instead of the next benchmark run.
 */
class BenchProgramsCompileTest {

    @Test
    void everyBenchProgramCompiles(@TempDir Path classes) throws IOException {
        List<String> sources;
        try (Stream<Path> files = Files.list(Path.of("src/bench"))) {
            sources = files.filter(file -> file.toString().endsWith(".java")).map(Path::toString).sorted().toList();
        }
        assertFalse(sources.isEmpty(), "no programs found in src/bench");
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        assertNotNull(compiler, "the tests need a JDK");
        for (String source : sources) {
            // One at a time, as the JDK's source launcher runs them: each is a program of its own.
            ByteArrayOutputStream messages = new ByteArrayOutputStream();
            List<String> arguments = new ArrayList<>(List.of("-Xlint:all,-path", "-Werror", "-cp", classes.toString(), "-d", classes.toString(), source));
            int status = compiler.run(null, messages, messages, arguments.toArray(String[]::new));
            assertEquals(0, status, source + ":\n" + messages);
        }
    }
}
