package dev.pgflip.agent.repmgr;

/** A repmgr.conf pgflip cannot use; the message names the file, the line or key, and what was expected. */
public final class RepmgrConfException extends RuntimeException {
    public RepmgrConfException(String message) {
        super(message);
    }

    public RepmgrConfException(String message, Throwable cause) {
        super(message, cause);
    }
}
