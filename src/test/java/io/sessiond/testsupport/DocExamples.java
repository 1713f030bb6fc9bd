package io.sessiond.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Runs a shell example of the docs as written: the indented block between {@code <!-- NAME: ... -->} and
 * {@code <!-- end of NAME -->}, where lines starting with {@code $ } are commands and the lines below each
 * are what it prints. The commands run in one bash process against the test server (its port in place of
 * 8500), and what each printed is compared with the text after normalizing what differs from run to run:
 * session IDs and Consul's create and modify indexes. {@code sessiond} in a command is the CLI ({@link Cli}: the
 * compiled classes in the unit tests, the packaged CLI in the *IT classes).
 */
public final class DocExamples {

    private static final Pattern UUID = Pattern.compile(
            "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Pattern INDEX = Pattern.compile("\"(CreateIndex|ModifyIndex)\":\\d+");
    private static final String SEPARATOR = "@@@ end of command @@@";

    /** One command of an example and what the docs say it prints. */
    public record Step(String command, String expected) {
    }

    /** What a step printed, beside what the docs say (both normalized). */
    public record Outcome(Step step, String actual) {
        public String expectedNormalized() {
            return normalize(step.expected());
        }

        public String actualNormalized() {
            return normalize(actual);
        }
    }

    private DocExamples() {
    }

    /** The steps of the example named {@code name} in {@code file} (relative to the project's root). */
    public static List<Step> read(String file, String name) throws IOException {
        List<String> lines = Files.readAllLines(Path.of(file), StandardCharsets.UTF_8);
        int start = indexOf(lines, "<!-- " + name + ":", file) + 1;
        int end = indexOf(lines, "<!-- end of " + name + " -->", file);
        List<Step> steps = new ArrayList<>();
        String command = null;
        StringBuilder expected = new StringBuilder();
        for (String line : lines.subList(start, end)) {
            String text = line.startsWith("    ") ? line.substring(4) : line;
            if (text.startsWith("$ ")) {
                if (command != null) {
                    steps.add(new Step(command, expected.toString().strip()));
                }
                command = text.substring(2);
                expected.setLength(0);
            } else if (command != null) {
                expected.append(text).append('\n');
            }
        }
        if (command != null) {
            steps.add(new Step(command, expected.toString().strip()));
        }
        if (steps.isEmpty()) {
            throw new IllegalStateException("The example '" + name + "' of " + file + " has no commands");
        }
        return steps;
    }

    /** Runs the steps in one bash process against {@code localhost:port}, in order, and returns what each printed. */
    public static List<Outcome> run(List<Step> steps, int port) throws IOException, InterruptedException {
        StringBuilder script = new StringBuilder("set -u\n").append(Cli.bashFunction());
        for (Step step : steps) {
            script.append(step.command().replace("localhost:8500", "localhost:" + port))
                    .append("\nprintf '\\n").append(SEPARATOR).append("\\n'\n");
        }
        Process bash = new ProcessBuilder("bash", "-c", script.toString()).redirectErrorStream(true).start();
        byte[] output = bash.getInputStream().readAllBytes();
        if (!bash.waitFor(60, TimeUnit.SECONDS)) {
            bash.destroyForcibly();
            throw new IllegalStateException("The example did not finish within 60 s");
        }
        String printed = new String(output, StandardCharsets.UTF_8).replace("localhost:" + port, "localhost:8500");
        String[] parts = printed.split("\n" + Pattern.quote(SEPARATOR) + "\n", -1);
        if (parts.length != steps.size() + 1) {
            throw new IllegalStateException("Expected the output of " + steps.size() + " commands, got:\n" + printed);
        }
        List<Outcome> outcomes = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            outcomes.add(new Outcome(steps.get(i), parts[i].strip()));
        }
        return outcomes;
    }

    static String normalize(String text) {
        return INDEX.matcher(UUID.matcher(text).replaceAll("<uuid>")).replaceAll("\"$1\":<index>");
    }

    private static int indexOf(List<String> lines, String prefix, String file) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(prefix)) {
                return i;
            }
        }
        throw new IllegalStateException(file + " has no line starting with '" + prefix + "'");
    }
}
