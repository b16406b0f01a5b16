package dev.pgflip.lab.drill;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.OptionalDouble;

/**
 * Waits, after the load starts, until the machine has CPU to spare before a fault is injected. Each run opens fresh
 * pools for every client stack: dozens of SCRAM logins and the JIT kept both cores of the lab busy for seconds
 * (measured with top: 95 % busy, then 25-30 % once steady), and a fault injected into that storm measured the storm:
 * repmgr's own binary took 0.5 s to start. Production's application servers are other machines; the lab's stand in
 * for them, so the fault waits for their steady state.
 */
final class SteadyLoad {
    static final double IDLE_SHARE = 0.40;
    static final Duration WINDOW = Duration.ofMillis(500);
    static final Duration MAX_WAIT = Duration.ofSeconds(8);

    private static final Path PROC_STAT = Path.of("/proc/stat");

    /** What the wait found: how long it took and the idle share of the last window (empty if unreadable). */
    record Settled(long waitedMs, OptionalDouble idleShare, boolean steady) {
        String describe() {
            String idle = idleShare.isPresent() ? Math.round(idleShare.getAsDouble() * 100) + " % idle" : "CPU unknown";
            return (steady ? "steady after " : "not steady after ") + waitedMs + " ms (" + idle + ")";
        }
    }

    private SteadyLoad() {}

    /** Returns once a {@link #WINDOW} had at least {@link #IDLE_SHARE} of the CPUs idle, or after {@link #MAX_WAIT}. */
    static Settled await() throws InterruptedException {
        long start = System.nanoTime();
        OptionalDouble idle = OptionalDouble.empty();
        long[] before = read();
        while (before != null) {
            Thread.sleep(WINDOW.toMillis());
            long[] after = read();
            if (after == null) {
                break;
            }
            idle = idleShare(before, after);
            long waited = (System.nanoTime() - start) / 1_000_000;
            if (idle.isPresent() && idle.getAsDouble() >= IDLE_SHARE) {
                return new Settled(waited, idle, true);
            }
            if (waited >= MAX_WAIT.toMillis()) {
                return new Settled(waited, idle, false);
            }
            before = after;
        }
        return new Settled((System.nanoTime() - start) / 1_000_000, idle, false);
    }

    /** The share of CPU time spent idle (idle + iowait) between two readings of /proc/stat's first line. */
    static OptionalDouble idleShare(long[] before, long[] after) {
        long total = 0;
        for (int i = 0; i < after.length && i < before.length; i++) {
            total += after[i] - before[i];
        }
        if (total <= 0 || after.length < 5) {
            return OptionalDouble.empty();
        }
        long idle = (after[3] - before[3]) + (after[4] - before[4]);
        return OptionalDouble.of((double) idle / total);
    }

    /** The aggregate "cpu" line's counters (user nice system idle iowait irq softirq steal), or null off Linux. */
    static long[] parse(String firstLine) {
        String[] fields = firstLine.trim().split("\\s+");
        if (fields.length < 6 || !fields[0].equals("cpu")) {
            return null;
        }
        return Arrays.stream(fields, 1, Math.min(fields.length, 9)).mapToLong(Long::parseLong).toArray();
    }

    private static long[] read() {
        try {
            return parse(Files.readAllLines(PROC_STAT).get(0));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
