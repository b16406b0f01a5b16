package dev.pgflip.lab.emulator;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Names every emulator thread {@code do-emulator-<role>-<n>} so a thread dump says whose it is, and keeps them so a
 * closed emulator can wait until they have exited: an executor that reports itself terminated may still have a worker
 * thread finishing its exit (CI saw one alive right after close).
 */
final class NamedThreads implements ThreadFactory {
    private final String prefix;
    private final AtomicInteger counter = new AtomicInteger();
    private final List<Thread> made = new CopyOnWriteArrayList<>();

    NamedThreads(String role) {
        this.prefix = "do-emulator-" + role + "-";
    }

    @Override
    public Thread newThread(Runnable task) {
        Thread thread = new Thread(task, prefix + counter.incrementAndGet());
        thread.setDaemon(true);
        // The cached handler pool replaces idle threads over a long lab: only the living need waiting for.
        made.removeIf(t -> t.getState() == Thread.State.TERMINATED);
        made.add(thread);
        return thread;
    }

    /** Waits, up to {@code wait} in all, for every thread made here to have exited. */
    void awaitExit(Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        for (Thread thread : made) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            thread.join(Math.max(1, left / 1_000_000));
        }
    }
}
