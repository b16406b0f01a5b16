package dev.pgflip.lab.process;

/** What a finished command printed (stdout and stderr merged) and how it exited. */
public record CommandResult(int exitCode, String output) {
    public boolean succeeded() {
        return exitCode == 0;
    }
}
