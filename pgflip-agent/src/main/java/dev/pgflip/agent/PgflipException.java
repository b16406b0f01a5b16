package dev.pgflip.agent;

/**
 * A failure the user can act on. The message is printed as the one stderr line repmgr logs, so it says what
 * failed and what to do, and never contains a secret.
 */
public class PgflipException extends RuntimeException {
    private final ExitCode exitCode;

    public PgflipException(ExitCode exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public PgflipException(ExitCode exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public ExitCode exitCode() {
        return exitCode;
    }
}
