package dev.pgflip.lab.agent;

import dev.pgflip.lab.emulator.EmulatedDroplet;
import dev.pgflip.lab.emulator.FlipMover;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A mover that fails its next {@code failures} moves (the emulator then completes those actions as errored), and
 * can make the moves of one IP slow, so an action on it stays in progress long enough to collide with the agent.
 */
final class FlakyMover implements FlipMover {
    /** A count meaning "every move fails". */
    static final int ALWAYS = Integer.MAX_VALUE;

    private final AtomicInteger failuresLeft = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final Map<String, Duration> slowIps = new ConcurrentHashMap<>();

    void failNext(int failures) {
        failuresLeft.set(failures);
    }

    void slowDown(String ip, Duration moveTime) {
        slowIps.put(ip, moveTime);
    }

    int failedMoves() {
        return failed.get();
    }

    /** Failures still to come: some left means the agent stopped trying before the moves would have worked. */
    int failuresLeft() {
        return failuresLeft.get();
    }

    @Override
    public void move(String ip, Optional<EmulatedDroplet> from, Optional<EmulatedDroplet> to)
            throws InterruptedException {
        Thread.sleep(slowIps.getOrDefault(ip, Duration.ZERO).toMillis());
        if (failuresLeft.getAndUpdate(n -> n == ALWAYS || n == 0 ? n : n - 1) > 0) {
            failed.incrementAndGet();
            throw new IllegalStateException("arping for " + ip + " failed (simulated)");
        }
    }
}
