package dev.pgflip.lab.emulator;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Remembers every move; optionally fails them, as a broken `ip netns` call would. */
final class RecordingMover implements FlipMover {
    record Move(String ip, OptionalLong from, OptionalLong to) {}

    private final List<Move> moves = new CopyOnWriteArrayList<>();
    private volatile boolean failing;
    private volatile CountDownLatch gate = new CountDownLatch(0);

    @Override
    public void move(String ip, Optional<EmulatedDroplet> from, Optional<EmulatedDroplet> to) throws Exception {
        moves.add(new Move(ip, id(from), id(to)));
        if (!gate.await(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("test never released the mover");
        }
        if (failing) {
            throw new IllegalStateException("arping failed (simulated)");
        }
    }

    /** Moves block until {@link #release()}, so a test can look at an action that is surely still running. */
    void hold() {
        gate = new CountDownLatch(1);
    }

    void release() {
        gate.countDown();
    }

    void failFromNowOn() {
        failing = true;
    }

    List<Move> moves() {
        return List.copyOf(moves);
    }

    private static OptionalLong id(Optional<EmulatedDroplet> droplet) {
        return droplet.map(d -> OptionalLong.of(d.id())).orElse(OptionalLong.empty());
    }
}
