package io.sessiond.cli;

import sun.misc.Signal;

import java.io.IOException;
import java.util.List;
import java.util.function.Consumer;

/**
 * The signals {@code sessiond lock} catches, to pass them on to its child (or, before the child runs, to
 * stop waiting for the lock and clean up): INT, TERM, HUP and USR1 (the JVM keeps USR2 and QUIT for itself).
 */
final class Signals {

    static final List<String> FORWARDED = List.of("INT", "TERM", "HUP", "USR1");

    private Signals() {
    }

    /** Calls {@code handler} with each caught signal: its name and number. */
    static void install(Consumer<Signal> handler) {
        for (String name : FORWARDED) {
            try {
                Signal.handle(new Signal(name), handler::accept);
            } catch (IllegalArgumentException unavailable) {
                // This runtime reserves it: it keeps its default action.
            }
        }
    }

    /** Sends signal {@code name} to {@code process}. */
    static void send(Process process, String name) {
        if (name.equals("TERM")) {
            process.destroy();
            return;
        }
        try {
            new ProcessBuilder("kill", "-s", name, Long.toString(process.pid())).inheritIO().start().waitFor();
        } catch (IOException e) {
            System.err.println("sessiond: could not pass SIG" + name + " to the child: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
