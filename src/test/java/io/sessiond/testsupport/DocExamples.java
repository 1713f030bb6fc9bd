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
 * Runs a shell example of the docs as written: the indented block between {@code <!-- NAME: ... -->} and {@code <!--
 * end of NAME -->}, where lines starting with {@code $ } are commands (going on on the next line after a {@code \}
 * or inside a single-quoted string) and the lines below each are what it prints; the prose between the indented
 * lines is not part of the example. The commands run in one bash process, in a fresh directory (for the files an
 * example writes, such as a cookie jar), against the test server (its port in place of 8500), and what each printed
 * is compared with the text after normalizing what differs from run to run: UUIDs, web-session ids and cookie
 * signatures (runs of 32 or more hex digits), Consul's create and modify indexes, {@code X-Consul-Index}, the admin
 * API's page snapshots, content lengths, times (RFC 3339 and IMF-fixdate) and ETags. Where the docs print {@code
 * ...}, any text may stand (as in doctest's ellipsis): for what the docs leave out.
 */
public final class DocExamples {

    private static final Pattern UUID = Pattern.compile(
            "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Pattern HEX = Pattern.compile("[0-9a-f]{32,}");
    private static final Pattern INDEX = Pattern.compile("\"(CreateIndex|ModifyIndex)\":\\d+");
    private static final Pattern SNAPSHOT = Pattern.compile("page%5Bsnapshot%5D=\\d+");
    private static final Pattern INDEX_HEADER = Pattern.compile("(?im)^(X-Consul-Index|content-length): \\d+$");
    private static final Pattern RFC_3339 = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z");
    private static final Pattern IMF_FIXDATE = Pattern.compile("[A-Z][a-z]{2}, \\d\\d [A-Z][a-z]{2} \\d{4} \\d\\d:\\d\\d:\\d\\d GMT");
    private static final Pattern ETAG = Pattern.compile("(?i)(ETag: W/)\"[0-9a-f]+\"");
    private static final String ELLIPSIS = "...";
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

        /** Whether what was printed is what the docs show, {@code ...} standing for any text. */
        public boolean matches() {
            String expected = expectedNormalized();
            if (!expected.contains(ELLIPSIS)) {
                return expected.equals(actualNormalized());
            }
            StringBuilder regex = new StringBuilder();
            for (String literal : expected.split(Pattern.quote(ELLIPSIS), -1)) {
                if (!regex.isEmpty()) {
                    regex.append(".*?");
                }
                regex.append(Pattern.quote(literal));
            }
            return Pattern.compile(regex.toString(), Pattern.DOTALL).matcher(actualNormalized()).matches();
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
        boolean continued = false;
        for (String line : lines.subList(start, end)) {
            if (!line.isBlank() && !line.startsWith("    ")) {
                continue;
            }
            String text = line.startsWith("    ") ? line.substring(4) : line;
            if (continued) {
                command = command + "\n" + text;
                continued = goesOn(command);
            } else if (text.startsWith("$ ")) {
                if (command != null) {
                    steps.add(new Step(command, expected.toString().strip()));
                }
                command = text.substring(2);
                continued = goesOn(command);
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
        StringBuilder script = new StringBuilder("set -u\n");
        for (Step step : steps) {
            script.append(step.command().replace("localhost:8500", "localhost:" + port))
                    .append("\nprintf '\\n").append(SEPARATOR).append("\\n'\n");
        }
        Path directory = Files.createTempDirectory("doc-example");
        byte[] output;
        try {
            Process bash = new ProcessBuilder("bash", "-c", script.toString()).directory(directory.toFile())
                    .redirectErrorStream(true).start();
            output = bash.getInputStream().readAllBytes();
            if (!bash.waitFor(60, TimeUnit.SECONDS)) {
                bash.destroyForcibly();
                throw new IllegalStateException("The example did not finish within 60 s");
            }
        } finally {
            try (var files = Files.walk(directory)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
            }
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
        String normalized = UUID.matcher(text.replace("\r\n", "\n")).replaceAll("<uuid>");
        normalized = HEX.matcher(normalized).replaceAll("<hex>");
        normalized = INDEX.matcher(normalized).replaceAll("\"$1\":<index>");
        normalized = SNAPSHOT.matcher(normalized).replaceAll("page%5Bsnapshot%5D=<index>");
        normalized = INDEX_HEADER.matcher(normalized).replaceAll("$1: <number>");
        normalized = RFC_3339.matcher(normalized).replaceAll("<time>");
        normalized = IMF_FIXDATE.matcher(normalized).replaceAll("<time>");
        return ETAG.matcher(normalized).replaceAll("$1\"<etag>\"");
    }

    /** Whether a command goes on on the next line: it ends with a backslash or leaves a single quote open. */
    private static boolean goesOn(String command) {
        return command.endsWith("\\") || command.chars().filter(c -> c == '\'').count() % 2 == 1;
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
