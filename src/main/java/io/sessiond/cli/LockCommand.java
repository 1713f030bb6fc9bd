package io.sessiond.cli;

import io.sessiond.client.ClientSession;
import io.sessiond.client.SessionOptions;
import io.sessiond.go.GoDuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code sessiond lock KEY -- CMD...}: runs CMD while holding KEY (or, with {@code -n N}, one of N slots of
 * the semaphore under KEY), and stops it as soon as the lock is lost.
 */
@Command(name = "lock", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "Runs CMD while holding a lock on KEY, taken with a session of its own that is renewed in the background.",
                "With -n N, KEY is a prefix and CMD holds one of N slots of a semaphore (Consul's `lock -n` recipe and its .lock key).",
                "The child gets SESSIOND_SESSION, SESSIOND_LOCK_KEY and SESSIOND_LOCK_INDEX (a fencing token: the lock key's "
                        + "ModifyIndex when taken, increasing from holder to holder). If the lock is lost, the child gets SIGTERM, "
                        + "then SIGKILL after --kill-grace. On exit the lock is released and the session destroyed.",
                "Exit status: the child's; 75 if not acquired within --timeout; 76 if the lock was lost; 1 if sessiond "
                        + "failed; 126/127 if CMD cannot be run."})
final class LockCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = {"-n", "--limit"}, paramLabel = "N", defaultValue = "1",
            description = "Holders at once: 1 is a lock on KEY; more is a semaphore under the prefix KEY (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--ttl", paramLabel = "DURATION", defaultValue = "15s", converter = GoDurationConverter.class,
            description = "The session's TTL; it is renewed every TTL/2 (default: ${DEFAULT-VALUE}).")
    Duration ttl;

    @Option(names = "--lock-delay", paramLabel = "DURATION", defaultValue = "15s", converter = GoDurationConverter.class,
            description = "The session's lock-delay: if it dies holding the lock, no one takes it for this long (default: ${DEFAULT-VALUE}).")
    Duration lockDelay;

    @Option(names = "--name", paramLabel = "NAME", description = "The session's name (default: sessiond lock for 'CMD' at 'KEY').")
    String name;

    @Option(names = "--behavior", paramLabel = "release|delete",
            description = "What the session's end does to its keys (default: release for a lock, delete for a semaphore).")
    SessionOptions.Behavior behavior;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "0s", converter = GoDurationConverter.class,
            description = "Give up (exit 75) if the lock is not acquired within this time; 0 waits as long as it takes (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--kill-grace", paramLabel = "DURATION", defaultValue = "5s", converter = GoDurationConverter.class,
            description = "After the lock is lost, how long the child has between SIGTERM and SIGKILL (default: ${DEFAULT-VALUE}).")
    Duration killGrace;

    @Option(names = "--shell", description = "Run CMD with sh -c (its words joined with spaces).")
    boolean shell;

    @Option(names = "--value", paramLabel = "TEXT", defaultValue = "",
            description = "The value written into the lock key (or the contender key of a semaphore).")
    String value;

    @Mixin
    Connection connection;

    @Parameters(index = "0", paramLabel = "KEY", description = "The key to lock (with -n: the semaphore's prefix).")
    String key;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "CMD", description = "The command and its arguments, after --.")
    List<String> command;

    private volatile Process child;
    private volatile String signalWhileWaiting;
    private volatile int signalNumber;

    @Override
    public Integer call() throws InterruptedException {
        List<String> argv = childArgv();
        if (limit < 1) {
            throw new ParameterException(spec.commandLine(), "-n must be at least 1, got " + limit);
        }
        String lockKey = key.replaceAll("^/+", "").replaceAll("/+$", "");
        if (lockKey.isEmpty() && limit == 1) {
            throw new ParameterException(spec.commandLine(), "KEY must not be empty");
        }
        PrintWriter err = spec.commandLine().getErr();
        Api api = connection.open();
        SessionOptions options = SessionOptions.named(name != null ? name
                        : "sessiond lock for '" + String.join(" ", argv) + "' at '" + lockKey + "'")
                .withTtl(ttl).withLockDelay(lockDelay)
                .withBehavior(behavior != null ? behavior : limit == 1 ? SessionOptions.Behavior.RELEASE : SessionOptions.Behavior.DELETE);

        Thread main = Thread.currentThread();
        Signals.install(signal -> {
            Process running = child;
            if (running != null) {
                Signals.send(running, signal.getName());
            } else {
                signalWhileWaiting = signal.getName();
                signalNumber = signal.getNumber();
                main.interrupt();
            }
        });

        ClientSession session;
        try {
            session = api.client().createSession(options).open();
        } catch (RuntimeException e) {
            throw CliFailure.failed("could not create a session: " + e.getMessage());
        }
        Exclusion exclusion = limit == 1 ? new KeyLock(api, lockKey, session.id(), value)
                : new SemaphoreSlot(api, lockKey, limit, session.id(), value);
        LossWatch watch = null;
        try {
            OptionalLong token;
            try {
                token = exclusion.acquire(timeout.isZero() ? null : Instant.now().plus(timeout));
            } catch (InterruptedException e) {
                err.println("sessiond: SIG" + signalWhileWaiting + " while waiting for " + lockKey + "; giving up");
                return ExitCodes.SIGNALLED + signalNumber;
            }
            if (token.isEmpty()) {
                err.println("sessiond: could not acquire " + lockKey + " within " + GoDuration.format(timeout.toNanos()));
                return ExitCodes.NOT_ACQUIRED;
            }
            CompletableFuture<String> lost = new CompletableFuture<>();
            session.onLost((id, cause) -> lost.complete("session " + id + " was lost: " + cause.getMessage()));
            watch = new LossWatch(api, exclusion).start();
            watch.lost().thenAccept(lost::complete);
            return runChild(argv, session.id(), lockKey, token.getAsLong(), lost, err);
        } finally {
            Thread.interrupted();
            if (watch != null) {
                watch.stop();
            }
            if (session.state() == ClientSession.State.OPEN) {
                try {
                    exclusion.release();
                } catch (RuntimeException | InterruptedException e) {
                    // A second signal while cleaning up: the session's destruction below still releases the key.
                    err.println("sessiond: releasing " + lockKey + " failed: " + e);
                }
            }
            try {
                session.close();
            } catch (RuntimeException e) {
                err.println("sessiond: destroying session " + session.id() + " failed: " + e.getMessage());
            }
        }
    }

    /** The child's argv: CMD as given (a leading -- dropped), or {@code sh -c} with its words joined. */
    List<String> childArgv() {
        List<String> words = new ArrayList<>(command);
        if (!words.isEmpty() && words.get(0).equals("--")) {
            words.remove(0);
        }
        if (words.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "Missing CMD: sessiond lock [options] KEY -- CMD [ARGS...]");
        }
        return shell ? List.of("sh", "-c", String.join(" ", words)) : words;
    }

    /** Whether {@code program} names a file, as a path or found on the PATH (a shell's 127 against 126). */
    private static boolean exists(String program) {
        if (program.contains("/")) {
            return Files.exists(Path.of(program));
        }
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .filter(directory -> !directory.isEmpty())
                .anyMatch(directory -> Files.exists(Path.of(directory, program)));
    }

    private int runChild(List<String> argv, String session, String lockKey, long token, CompletableFuture<String> lost,
                         PrintWriter err) throws InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(argv).inheritIO();
        Map<String, String> environment = builder.environment();
        environment.put("SESSIOND_SESSION", session);
        environment.put("SESSIOND_LOCK_KEY", key);
        environment.put("SESSIOND_LOCK_INDEX", Long.toString(token));
        environment.put("CONSUL_LOCK_HELD", "true");
        Process started;
        try {
            started = builder.start();
        } catch (IOException e) {
            err.println("sessiond: cannot run " + argv.get(0) + ": " + e.getMessage());
            return exists(argv.get(0)) ? ExitCodes.CANNOT_EXECUTE : ExitCodes.COMMAND_NOT_FOUND;
        }
        child = started;
        // A signal that came between the acquisition and now interrupted this thread; it is passed on instead.
        Thread.interrupted();
        if (signalWhileWaiting != null) {
            Signals.send(started, signalWhileWaiting);
        }
        CompletableFuture.anyOf(started.onExit(), lost).join();
        if (!lost.isDone() || !started.isAlive()) {
            return started.waitFor();
        }
        err.println("sessiond: lost the lock on " + lockKey + " (" + lost.join() + "); sending SIGTERM to the child (pid "
                + started.pid() + ")");
        started.destroy();
        if (!started.waitFor(killGrace.toMillis(), TimeUnit.MILLISECONDS)) {
            err.println("sessiond: the child did not exit within " + killGrace.toMillis() + " ms; sending SIGKILL");
            started.destroyForcibly();
            started.waitFor();
        }
        return ExitCodes.LOCK_LOST;
    }
}
