package io.sessiond.cli;

/** A command's failure: the message printed (after {@code sessiond: }) and the exit code. */
final class CliFailure extends RuntimeException {

    private final int exitCode;

    CliFailure(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    static CliFailure failed(String message) {
        return new CliFailure(ExitCodes.FAILED, message);
    }

    int exitCode() {
        return exitCode;
    }
}
