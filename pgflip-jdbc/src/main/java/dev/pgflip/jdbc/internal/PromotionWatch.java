package dev.pgflip.jdbc.internal;

import java.util.Collection;
import java.util.List;

/**
 * The writer stopped leading to a writable primary: the readers' monitors are woken at once, so their close watch (while
 * the writer is down, a probe that waits on the server for the promotion of a standby, or one every 20 ms, see
 * {@link HostMonitor}) starts now rather than after the rest of their probe interval. Measured before (kill drill, 2026-12-06): a standby promoted 251 ms after the kill was seen promoted
 * only at +613 ms, its monitor asleep for its 500 ms interval, and the first direct write came 417 ms after the
 * promotion.
 */
final class PromotionWatch implements HostTracker.Listener {
    private final List<? extends Wakeable> readers;

    /** What the watch needs of a reader's monitor (a seam for tests). */
    interface Wakeable {
        void wake();
    }

    PromotionWatch(List<? extends Wakeable> readers) {
        this.readers = List.copyOf(readers);
    }

    /** The watch over the monitors of {@code readers}. */
    static PromotionWatch over(Collection<HostMember> readers) {
        return new PromotionWatch(readers.stream().map(HostMember::monitor).toList());
    }

    @Override
    public void changed(HostTracker writer, HostHealth previous, HostHealth current) {
        if (previous.state().writable() && !current.state().writable()) {
            readers.forEach(Wakeable::wake);
        }
    }
}
