package io.sessiond.cli;

/** The exit codes of the CLI besides a child's own status (docs/cli.md lists them). */
final class ExitCodes {

    static final int OK = 0;
    /** sessiond refused the request, did not answer, or has no such key or session. */
    static final int FAILED = 1;
    /** A bad command line (picocli's usage code). */
    static final int USAGE = 2;
    /** {@code lock}: the lock was not acquired within {@code --timeout} (sysexits' EX_TEMPFAIL: try again later). */
    static final int NOT_ACQUIRED = 75;
    /** {@code lock}: the lock was lost while the child ran; the child was terminated. */
    static final int LOCK_LOST = 76;
    /** {@code lock}: the child could not be executed (a shell's code). */
    static final int CANNOT_EXECUTE = 126;
    /** {@code lock}: the child's program was not found (a shell's code). */
    static final int COMMAND_NOT_FOUND = 127;
    /** A command ended by signal N exits 128 + N, as a shell reports it. */
    static final int SIGNALLED = 128;

    private ExitCodes() {
    }
}
