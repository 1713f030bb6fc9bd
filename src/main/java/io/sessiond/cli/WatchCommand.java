package io.sessiond.cli;

import io.sessiond.client.SessiondClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.time.Duration;

/**
 * {@code sessiond watch ...}: blocking queries one after the other, printing one line of JSON each time
 * what they answer changes (the first answer included), until interrupted or {@code --count} lines.
 */
@Command(name = "watch", mixinStandardHelpOptions = true,
        description = "Print a line of JSON each time a key, the keys under a prefix, or the session list change.")
final class WatchCommand {

    private static final Duration RETRY = Duration.ofSeconds(1);

    @Spec
    CommandSpec spec;

    /** How long each blocking query waits, and when to stop. */
    static final class Pace {
        @Option(names = "--wait", paramLabel = "DURATION", defaultValue = "5m", converter = GoDurationConverter.class,
                description = "How long one blocking query waits (default: ${DEFAULT-VALUE}).")
        Duration wait;

        @Option(names = "--count", paramLabel = "N", defaultValue = "0",
                description = "Stop after printing N lines (default: 0, never).")
        int count;
    }

    @Command(name = "key", mixinStandardHelpOptions = true,
            description = "Watches one key: its entry as a JSON array, [] while it does not exist.")
    int key(@Mixin Connection connection, @Parameters(paramLabel = "KEY") String key, @Mixin Pace pace)
            throws InterruptedException {
        return watch(connection.open(), Api.kvPath(key), pace);
    }

    @Command(name = "prefix", mixinStandardHelpOptions = true,
            description = "Watches every key starting with PREFIX: their entries as a JSON array.")
    int prefix(@Mixin Connection connection, @Parameters(paramLabel = "PREFIX") String prefix, @Mixin Pace pace)
            throws InterruptedException {
        return watch(connection.open(), Api.kvPath(prefix) + "?recurse", pace);
    }

    @Command(name = "sessions", mixinStandardHelpOptions = true, description = "Watches the list of live sessions.")
    int sessions(@Mixin Connection connection, @Mixin Pace pace) throws InterruptedException {
        return watch(connection.open(), "v1/session/list", pace);
    }

    private int watch(Api api, String path, Pace pace) throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        String separator = path.contains("?") ? "&" : "?";
        long index = 0;
        String last = null;
        int printed = 0;
        while (pace.count == 0 || printed < pace.count) {
            String query = Api.blocking(index, pace.wait);
            SessiondClient.Response read;
            try {
                read = api.call("GET", path + (query.isEmpty() ? "" : separator + query), null, index == 0 ? Duration.ZERO : pace.wait);
            } catch (CliFailure noAnswer) {
                spec.commandLine().getErr().println("sessiond: " + noAnswer.getMessage() + "; retrying");
                Thread.sleep(RETRY.toMillis());
                continue;
            }
            if (read.status() != 200 && read.status() != 404) {
                throw CliFailure.failed("watching " + path + ": " + Api.errorText(read));
            }
            String line = read.status() == 404 ? "[]" : Api.write(Api.parse(read.body()));
            if (!line.equals(last)) {
                out.println(line);
                out.flush();
                last = line;
                printed++;
            }
            // Consul's rule for blocking queries: an index that went backwards starts over.
            index = read.index() < index ? 0 : Math.max(1, read.index());
        }
        return ExitCodes.OK;
    }
}
