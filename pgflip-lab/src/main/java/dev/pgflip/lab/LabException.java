package dev.pgflip.lab;

/** A lab operation could not be done; the message says what and what to do about it. */
public final class LabException extends RuntimeException {
    public LabException(String message) {
        super(message);
    }

    public LabException(String message, Throwable cause) {
        super(message, cause);
    }
}
