package dev.pgflip.agent.time;

/** Thrown when an operation ran out of its {@link Deadline}; the cause is the last failure seen, if any. */
public final class DeadlineExceededException extends RuntimeException {
    public DeadlineExceededException(String message, Throwable lastFailure) {
        super(message, lastFailure);
    }
}
