package dev.pgflip.agent.provider;

import dev.pgflip.agent.ExitCode;
import dev.pgflip.agent.PgflipException;

/** The IP could not be moved or verified. */
public final class FlipException extends PgflipException {
    private final boolean needsConfigurationFix;

    public FlipException(String message) {
        super(ExitCode.FLIP_FAILED, message);
        this.needsConfigurationFix = false;
    }

    public FlipException(String message, Throwable cause) {
        this(message, cause, false);
    }

    private FlipException(String message, Throwable cause, boolean needsConfigurationFix) {
        super(ExitCode.FLIP_FAILED, message, cause);
        this.needsConfigurationFix = needsConfigurationFix;
    }

    /**
     * The API refused the move for good (unknown IP or droplet, another region): trying again, by hand or not, fails
     * the same way until the configuration changes.
     */
    public static FlipException refused(String message, Throwable cause) {
        return new FlipException(message, cause, true);
    }

    public boolean needsConfigurationFix() {
        return needsConfigurationFix;
    }
}
