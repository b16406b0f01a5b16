package dev.pgflip.lab.agent;

import dev.pgflip.lab.emulator.EmulatedDroplet;
import dev.pgflip.lab.emulator.FlipMover;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/** A mover that fails its next {@code failures} moves (the emulator then completes those actions as errored). */
final class FlakyMover implements FlipMover {
    /** A count meaning "every move fails". */
    static final int ALWAYS = Integer.MAX_VALUE;

    private final AtomicInteger failuresLeft = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();

    void failNext(int failures) {
        failuresLeft.set(failures);
    }

    int failedMoves() {
        return failed.get();
    }

    @Override
    public void move(String ip, Optional<EmulatedDroplet> from, Optional<EmulatedDroplet> to) {
        if (failuresLeft.getAndUpdate(n -> n == ALWAYS || n == 0 ? n : n - 1) > 0) {
            failed.incrementAndGet();
            throw new IllegalStateException("arping for " + ip + " failed (simulated)");
        }
    }
}
