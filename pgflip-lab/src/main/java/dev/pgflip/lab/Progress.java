package dev.pgflip.lab;

import java.io.PrintStream;

/** One line per step with the time since the operation began, so a minute of set-up is never silent. */
public final class Progress {
    private final PrintStream out;
    private final long startNanos = System.nanoTime();

    public Progress(PrintStream out) {
        this.out = out;
    }

    /** Synchronized: lab up makes the witness's database on a thread of its own beside the primary's. */
    public synchronized void step(String format, Object... args) {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        out.printf("[%5.1fs] %s%n", seconds, String.format(format, args));
        out.flush();
    }

    public long elapsedMillis() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
