package dev.pgflip.jdbc.internal;

import dev.pgflip.jdbc.HostSpec;
import dev.pgflip.jdbc.ReaderSelection;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Orders the readers a read should try: healthy standbys first (round robin or least busy), then readers that are
 * primaries (the seed lists the primary last as a last resort). Lagging, down and unprobed readers are left out; an
 * empty answer sends the read to the writer.
 */
public final class ReaderSelector {

    /** One reader as the selector sees it at this instant. */
    public record Candidate(HostSpec host, HostState state, int busy) {}

    private final ReaderSelection strategy;
    private final AtomicInteger turn = new AtomicInteger();

    public ReaderSelector(ReaderSelection strategy) {
        this.strategy = strategy;
    }

    public List<HostSpec> order(List<Candidate> readers) {
        List<Candidate> standbys = new ArrayList<>();
        List<Candidate> primaries = new ArrayList<>();
        for (Candidate c : readers) {
            if (c.state() == HostState.STANDBY) {
                standbys.add(c);
            } else if (c.state() == HostState.PRIMARY || c.state() == HostState.READ_ONLY) {
                primaries.add(c);
            }
        }
        List<HostSpec> order = new ArrayList<>(readers.size());
        // One turn per read, shared by both groups: a turn taken per group made the standbys' start always even when a
        // primary was in the read list too, and every read went to the first of two standbys (seen on the lab).
        int thisTurn = turn.getAndIncrement();
        arrange(standbys, order, thisTurn);
        arrange(primaries, order, thisTurn);
        return order;
    }

    private void arrange(List<Candidate> group, List<HostSpec> out, int thisTurn) {
        if (group.isEmpty()) {
            return;
        }
        if (strategy == ReaderSelection.LEAST_BUSY) {
            group.stream().sorted(Comparator.comparingInt(Candidate::busy)).forEach(c -> out.add(c.host()));
            return;
        }
        int start = Math.floorMod(thisTurn, group.size());
        for (int i = 0; i < group.size(); i++) {
            out.add(group.get((start + i) % group.size()).host());
        }
    }
}
