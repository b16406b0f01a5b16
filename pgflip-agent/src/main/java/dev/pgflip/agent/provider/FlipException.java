package dev.pgflip.agent.provider;

import dev.pgflip.agent.ExitCode;
import dev.pgflip.agent.PgflipException;

/** The IP could not be moved or verified. */
public final class FlipException extends PgflipException {
    public FlipException(String message) {
        super(ExitCode.FLIP_FAILED, message);
    }

    public FlipException(String message, Throwable cause) {
        super(ExitCode.FLIP_FAILED, message, cause);
    }
}
