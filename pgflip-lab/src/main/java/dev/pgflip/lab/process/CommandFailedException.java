package dev.pgflip.lab.process;

import java.util.List;

/** A lab command exited non-zero or timed out; the message carries the command and the tail of its output. */
public final class CommandFailedException extends RuntimeException {
    private final int exitCode;

    public CommandFailedException(List<String> argv, int exitCode, String outputTail) {
        super(String.join(" ", argv) + (exitCode < 0 ? " timed out" : " exited " + exitCode)
                + (outputTail.isBlank() ? "" : ": " + outputTail.strip()));
        this.exitCode = exitCode;
    }

    /** The process exit code, or -1 when it was stopped for running past its timeout. */
    public int exitCode() {
        return exitCode;
    }
}
