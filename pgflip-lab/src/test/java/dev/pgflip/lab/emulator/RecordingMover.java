package dev.pgflip.lab.emulator;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;

/** Remembers every move; optionally fails them, as a broken `ip netns` call would. */
final class RecordingMover implements FlipMover {
    record Move(String ip, OptionalLong from, OptionalLong to) {}

    private final List<Move> moves = new CopyOnWriteArrayList<>();
    private volatile boolean failing;

    @Override
    public void move(String ip, Optional<EmulatedDroplet> from, Optional<EmulatedDroplet> to) throws Exception {
        moves.add(new Move(ip, id(from), id(to)));
        if (failing) {
            throw new IllegalStateException("arping failed (simulated)");
        }
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
