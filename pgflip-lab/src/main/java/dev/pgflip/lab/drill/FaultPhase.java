package dev.pgflip.lab.drill;

import dev.pgflip.lab.cluster.RepmgrConfig;
import java.util.random.RandomGenerator;

/**
 * A random delay before each fault, somewhere in one turn of repmgrd's monitoring loop. A run starts a fixed time
 * after the previous run's rejoin restarted repmgrd (the warm-up, then half-second CPU windows), so without it every
 * fault of a drill landed at the same point of that loop: measured, kill -9 runs 2-5 were all detected 0.88-1.03 s
 * after the fault, just after a check, and the first run 0.36 s (2026-12-06, `--fault kill --runs 5`), while a real
 * fault lands anywhere in the loop. A drill's detection times, and the figures that follow from them, now spread over
 * the whole loop as a real cluster's would.
 */
final class FaultPhase {
    static final long LOOP_MS = RepmgrConfig.MONITOR_INTERVAL_SECS * 1000L;

    private final RandomGenerator random;

    FaultPhase(RandomGenerator random) {
        this.random = random;
    }

    /** How long to wait before the next fault: uniform over [0, {@link #LOOP_MS}). */
    long nextDelayMs() {
        return random.nextLong(LOOP_MS);
    }
}
