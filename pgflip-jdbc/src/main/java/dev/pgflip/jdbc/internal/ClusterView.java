package dev.pgflip.jdbc.internal;

import dev.pgflip.jdbc.HostSpec;
import java.util.Collection;
import java.util.List;

/**
 * Every host of a data source as its tracker sees it at one instant: what {@link WriteRouter} and {@link ReadRouter}
 * decide on. Taken from the trackers for each decision rather than kept up to date by their listeners: a host's
 * {@code writableNow} reads the timeline mark as it is at that instant, which covers the moment between another host
 * raising the mark and this host's re-classification (a kept view would still say writable then).
 *
 * @param writer  the write endpoint
 * @param readers the hosts of the read list, in their configured order
 */
public record ClusterView(HostView writer, List<HostView> readers) {

    public ClusterView {
        readers = List.copyOf(readers);
    }

    /**
     * The hosts as their trackers see them now. Built on every borrow (twice for a write: the decision and its re-check
     * after the borrow), so a plain loop into one array: the stream pipeline and second copy it replaced were half of
     * a writer borrow's CPU in {@code BorrowPathBenchmark}.
     */
    static ClusterView of(HostMember writer, Collection<HostMember> readers) {
        HostView[] views = new HostView[readers.size()];
        int i = 0;
        for (HostMember m : readers) {
            views[i++] = HostView.of(m.tracker(), m.pool().busy());
        }
        return new ClusterView(HostView.of(writer.tracker(), writer.pool().busy()), List.of(views));
    }

    /**
     * One host in one role.
     *
     * @param usable          usable in its role: a primary for the writer; a standby or primary for a reader
     * @param writableNow     a writable primary not below the timeline mark (see {@link HostTracker#writableNow})
     * @param primaryTimeline the timeline it last reported as a writable primary (0: never)
     * @param suspect         its last probe failed but it is not DOWN yet
     * @param answer          its last probe answer, or null before any
     * @param busy            connections lent from its pool in its role now
     */
    public record HostView(HostSpec host, HostState state, boolean usable, boolean writableNow, long primaryTimeline,
                           boolean suspect, ProbeResult answer, int busy) {

        /** The host as {@code tracker} sees it now, with {@code busy} connections lent from its pool. */
        static HostView of(HostTracker tracker, int busy) {
            HostHealth h = tracker.health();
            return new HostView(tracker.host(), h.state(), tracker.usable(), tracker.writableNow(),
                    tracker.primaryTimeline(), h.suspect(), h.answer(), busy);
        }
    }
}
