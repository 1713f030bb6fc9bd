package io.sessiond.cli;

import io.sessiond.client.SessiondException;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/**
 * {@code sessiond}: run a command under a lock, and manage sessions and keys from a shell (docs/cli.md).
 * Every command takes Consul's connection options ({@link Connection}); the exit codes are {@link ExitCodes}.
 */
@Command(name = "sessiond", mixinStandardHelpOptions = true, versionProvider = SessiondCli.Version.class,
        description = "Run a command under a lock held on sessiond, and manage sessions and keys.",
        subcommands = {LockCommand.class, SessionCommand.class, KvCommand.class, WatchCommand.class,
                SessionsCommand.class, AutoComplete.GenerateCompletion.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:success (for lock: the child's status)",
                "1:sessiond refused the request, could not be reached, or has no such thing",
                "2:bad command line",
                "75:lock: could not acquire the lock within --timeout",
                "76:lock: the lock was lost while the child ran (it was sent SIGTERM)"})
public final class SessiondCli {

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs one command line; what it prints goes to {@code out} and {@code err}. Returns the exit code. */
    static int run(String[] args, PrintWriter out, PrintWriter err) {
        return commandLine(out, err).execute(args);
    }

    static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        CommandLine commandLine = new CommandLine(new SessiondCli());
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setExecutionExceptionHandler((exception, line, parsed) -> {
            if (exception instanceof CliFailure failure) {
                line.getErr().println("sessiond: " + failure.getMessage());
                return failure.exitCode();
            }
            if (exception instanceof SessiondException refused) {
                line.getErr().println("sessiond: " + refused.getMessage());
                return ExitCodes.FAILED;
            }
            throw exception;
        });
        // Consul's rule: options come before KEY; from KEY on, every word belongs to the child's command line.
        commandLine.getSubcommands().get("lock").setStopAtPositional(true);
        commandLine.getSubcommands().get("generate-completion").getCommandSpec().usageMessage().hidden(false);
        return commandLine;
    }

    /** The version of the build, from the jar's manifest when there is one. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = SessiondCli.class.getPackage().getImplementationVersion();
            return new String[] {"sessiond CLI " + (version == null ? "(development build)" : version)};
        }
    }
}
