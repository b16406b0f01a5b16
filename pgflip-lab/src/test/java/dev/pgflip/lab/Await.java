package dev.pgflip.lab;

import java.util.concurrent.TimeUnit;

/** Bounded waits for the lab tests: a condition polled every 50 ms, a failure that names it. */
public final class Await {
    private Await() {}

    /** A condition a test waits for; it may query the lab. */
    public interface Check {
        boolean holds() throws Exception;
    }

    /** Waits until {@code check} holds; fails naming {@code what} after {@code seconds}. */
    public static void awaitTrue(Check check, int seconds, String what) throws Exception {
        awaitTrue(check, seconds, () -> what);
    }

    /** As above, with a failure message made when it fails (e.g. naming the last state the check saw). */
    public static void awaitTrue(Check check, int seconds, java.util.function.Supplier<String> what) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!check.holds()) {
            if (System.nanoTime() > until) {
                throw new AssertionError(what.get() + ": not within " + seconds + " s");
            }
            Thread.sleep(50);
        }
    }
}
