package io.sessiond.cli;

import io.sessiond.go.GoDuration;
import picocli.CommandLine;

import java.time.Duration;

/** Durations on the command line are written as Consul's are, in Go's syntax: {@code 15s}, {@code 1h30m}, {@code 500ms}. */
final class GoDurationConverter implements CommandLine.ITypeConverter<Duration> {

    @Override
    public Duration convert(String value) {
        long nanos;
        try {
            nanos = GoDuration.parse(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
        if (nanos < 0) {
            throw new CommandLine.TypeConversionException("a duration must not be negative, got '" + value + "'");
        }
        return Duration.ofNanos(nanos);
    }
}
