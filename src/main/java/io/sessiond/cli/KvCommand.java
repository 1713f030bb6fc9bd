package io.sessiond.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.sessiond.client.SessiondClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** {@code sessiond kv ...}: Consul's KV API (get, put, delete, keys), with Consul's {@code kv} command's wording. */
@Command(name = "kv", mixinStandardHelpOptions = true, description = "Read and write keys (Consul's KV API).")
final class KvCommand {

    @Spec
    CommandSpec spec;

    @Command(name = "get", mixinStandardHelpOptions = true,
            description = "Prints a key's value; with --recurse, KEY:VALUE for every key under the prefix; with --detailed, all its fields.")
    int get(@Mixin Connection connection,
            @Parameters(paramLabel = "KEY") String key,
            @Option(names = "--recurse", description = "Every key starting with KEY.") boolean recurse,
            @Option(names = "--detailed", description = "All fields of the entry, not only its value.") boolean detailed,
            @Mixin JsonOutput json) throws InterruptedException {
        SessiondClient.Response read = connection.open().call("GET", Api.kvPath(key) + (recurse ? "?recurse" : ""), null);
        if (read.status() == 404) {
            if (recurse) {
                return ExitCodes.OK;
            }
            throw CliFailure.failed("Error! No key exists at: " + key);
        }
        if (!read.isSuccess()) {
            throw CliFailure.failed("reading " + key + ": " + Api.errorText(read));
        }
        PrintWriter out = out();
        if (json.json) {
            out.println(Api.pretty(Api.parse(read.body())));
        } else {
            for (KvPair pair : KvPair.list(read.body())) {
                if (detailed) {
                    new Table("FIELD", "VALUE").row("Key", pair.key()).row("Value", pair.valueText()).row("Flags", pair.flags())
                            .row("Session", pair.isHeld() ? pair.session() : "-").row("LockIndex", pair.lockIndex())
                            .row("CreateIndex", pair.createIndex()).row("ModifyIndex", pair.modifyIndex()).print(out);
                } else {
                    out.println(recurse ? pair.key() + ":" + pair.valueText() : pair.valueText());
                }
            }
        }
        out.flush();
        return ExitCodes.OK;
    }

    @Command(name = "put", mixinStandardHelpOptions = true,
            description = "Writes a key. VALUE - reads standard input, @FILE a file; no VALUE writes an empty value.")
    int put(@Mixin Connection connection,
            @Parameters(index = "0", paramLabel = "KEY") String key,
            @Parameters(index = "1", arity = "0..1", paramLabel = "VALUE") String value,
            @Option(names = "--cas", description = "Check-and-set: write only if the key's ModifyIndex is --modify-index (0: only if it does not exist).")
            boolean cas,
            @Option(names = "--modify-index", paramLabel = "INDEX", description = "The ModifyIndex --cas expects.") Long modifyIndex,
            @Option(names = "--flags", paramLabel = "N", description = "The entry's flags (an unsigned 64-bit number).") String flags,
            @Option(names = "--acquire", description = "Write only if the key is free, and lock it with --session.") boolean acquire,
            @Option(names = "--release", description = "Write and unlock the key if --session holds it.") boolean release,
            @Option(names = "--session", paramLabel = "ID", description = "The session of --acquire or --release.") String session)
            throws InterruptedException {
        if (List.of(cas, acquire, release).stream().filter(set -> set).count() > 1) {
            throw usage("--cas, --acquire and --release exclude each other");
        }
        if (cas && modifyIndex == null) {
            throw usage("--cas needs --modify-index");
        }
        if ((acquire || release) && session == null) {
            throw usage((acquire ? "--acquire" : "--release") + " needs --session");
        }
        StringBuilder query = new StringBuilder();
        if (cas) {
            query.append("&cas=").append(Long.toUnsignedString(modifyIndex));
        }
        if (acquire || release) {
            query.append(acquire ? "&acquire=" : "&release=").append(Api.encode(session));
        }
        if (flags != null) {
            query.append("&flags=").append(Api.encode(flags));
        }
        String path = Api.kvPath(key) + (query.isEmpty() ? "" : "?" + query.substring(1));
        SessiondClient.Response written = connection.open().require("writing " + key, "PUT", path, valueOf(value));
        if (!Boolean.parseBoolean(written.body().strip())) {
            throw CliFailure.failed(cas ? "Error! Did not write to " + key + ": CAS failed"
                    : acquire ? "Error! Did not acquire lock on " + key : "Error! Did not release lock on " + key);
        }
        out().println(acquire ? "Success! Lock acquired on: " + key
                : release ? "Success! Lock released on: " + key : "Success! Data written to: " + key);
        return ExitCodes.OK;
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Deletes a key, or every key starting with KEY.")
    int delete(@Mixin Connection connection,
               @Parameters(paramLabel = "KEY") String key,
               @Option(names = "--recurse", description = "Every key starting with KEY.") boolean recurse,
               @Option(names = "--cas", description = "Delete only if the key's ModifyIndex is --modify-index.") boolean cas,
               @Option(names = "--modify-index", paramLabel = "INDEX", description = "The ModifyIndex --cas expects.") Long modifyIndex)
            throws InterruptedException {
        if (recurse && cas) {
            throw usage("--recurse and --cas exclude each other");
        }
        if (cas && modifyIndex == null) {
            throw usage("--cas needs --modify-index");
        }
        String query = recurse ? "?recurse" : cas ? "?cas=" + Long.toUnsignedString(modifyIndex) : "";
        SessiondClient.Response deleted = connection.open().require("deleting " + key, "DELETE", Api.kvPath(key) + query, null);
        if (!Boolean.parseBoolean(deleted.body().strip())) {
            throw CliFailure.failed("Error! Did not delete key " + key + ": CAS failed");
        }
        out().println(recurse ? "Success! Deleted keys with prefix: " + key : "Success! Deleted key: " + key);
        return ExitCodes.OK;
    }

    @Command(name = "keys", mixinStandardHelpOptions = true,
            description = "Lists the keys starting with PREFIX, one a line (with --separator, only up to the next separator).")
    int keys(@Mixin Connection connection,
             @Parameters(paramLabel = "PREFIX", arity = "0..1", defaultValue = "") String prefix,
             @Option(names = "--separator", paramLabel = "SEP", description = "List only up to the next SEP after the prefix.")
             String separator,
             @Mixin JsonOutput json) throws InterruptedException {
        String path = Api.kvPath(prefix) + "?keys" + (separator == null ? "" : "&separator=" + Api.encode(separator));
        SessiondClient.Response listed = connection.open().call("GET", path, null);
        if (listed.status() == 404) {
            if (json.json) {
                out().println("[ ]");
            }
            return ExitCodes.OK;
        }
        if (!listed.isSuccess()) {
            throw CliFailure.failed("listing " + prefix + ": " + Api.errorText(listed));
        }
        JsonNode keys = Api.parse(listed.body());
        if (json.json) {
            out().println(Api.pretty(keys));
        } else {
            keys.forEach(listedKey -> out().println(listedKey.asText()));
        }
        out().flush();
        return ExitCodes.OK;
    }

    private String valueOf(String value) {
        if (value == null) {
            return "";
        }
        try {
            if (value.equals("-")) {
                return new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
            }
            if (value.startsWith("@")) {
                return Files.readString(Path.of(value.substring(1)), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw CliFailure.failed("cannot read the value from " + value + ": " + e.getMessage());
        }
        return value;
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }
}
