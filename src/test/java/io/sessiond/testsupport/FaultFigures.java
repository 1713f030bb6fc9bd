package io.sessiond.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What one fault did to the load ({@link FaultLoad}): acknowledged writes and how many of them were lost,
 * failed requests by status, the time from PostgreSQL ready to the first success, and writers' sessions
 * (with their locks) that the fault ended. {@link #print} adds it as a row of the fault table, printed and
 * appended to {@code target/fault-figures.md}, which docs/performance.md's "Fault suite" copies.
 */
public record FaultFigures(String fault, long acknowledged, long lost, Map<String, Long> failed,
                           long millisToFirstSuccess, long sessionsInvalidated) {

    private static final Path TABLE = Path.of("target", "fault-figures.md");

    /** Prints a row of the fault table (and the table's header first if this run has written none yet). */
    public FaultFigures print() {
        row(fault, String.valueOf(acknowledged), String.valueOf(lost), failedText(),
                millisToFirstSuccess == Long.MAX_VALUE ? "never" : millisToFirstSuccess + " ms",
                String.valueOf(sessionsInvalidated));
        return this;
    }

    /** Statuses of the failed requests, e.g. {@code 503 x 120}; {@code none} when nothing failed. */
    public String failedText() {
        return failed.isEmpty() ? "none" : failed.entrySet().stream().map(entry -> entry.getKey() + " x " + entry.getValue())
                .collect(Collectors.joining(", "));
    }

    /** A free-form row of the same table (the kill and mutual-exclusion faults report other figures). */
    public static void row(String... cells) {
        StringBuilder text = new StringBuilder();
        try {
            Files.createDirectories(TABLE.getParent());
            if (!Files.exists(TABLE)) {
                text.append("| fault | writes acknowledged | writes lost | requests failed | PostgreSQL ready to first success | sessions invalidated |\n")
                        .append("|---|---|---|---|---|---|\n");
            }
            text.append("| ").append(String.join(" | ", cells)).append(" |\n");
            Files.writeString(TABLE, text, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        System.out.print("FAULT FIGURES " + text);
    }
}
