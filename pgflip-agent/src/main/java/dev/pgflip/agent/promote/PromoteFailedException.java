package dev.pgflip.agent.promote;

import dev.pgflip.agent.ExitCode;
import dev.pgflip.agent.PgflipException;

/** The node did not become primary. */
public final class PromoteFailedException extends PgflipException {
    public PromoteFailedException(String message) {
        super(ExitCode.PROMOTE_FAILED, message);
    }

    public PromoteFailedException(String message, Throwable cause) {
        super(ExitCode.PROMOTE_FAILED, message, cause);
    }
}
