package io.sessiond.cli;

import picocli.CommandLine.Option;

/** {@code --json}: the answer as JSON instead of a table. */
final class JsonOutput {

    @Option(names = "--json", description = "Print JSON instead of a table.")
    boolean json;
}
