package dev.pgflip.jdbc.internal;

import dev.pgflip.jdbc.HostSpec;
import java.util.List;

/**
 * Decides where a write goes, from a {@link ClusterView}: the write endpoint while it leads to a writable primary on
 * the newest timeline; else, with {@code directWrites} and while the endpoint is not usable, a host of the read list
 * promoted since; else nowhere yet. The same decision is asked again after each borrow ({@link #stillRoutes}).
 */
public final class WriteRouter {
    private final boolean directWrites;

    public WriteRouter(boolean directWrites) {
        this.directWrites = directWrites;
    }

    /**
     * A host of the read list qualifies for direct writes when it is promoted since: answering as a writable primary
     * (its tracker reports that only on the newest timeline seen) on a newer timeline than the endpoint last led to.
     * The old primary's own address does not qualify, even when it still answers: until its monitor notices, it looks
     * writable when the endpoint has just gone down with it, but on the endpoint's own timeline, not a newer one.
     */
    public WriteRoute decide(ClusterView view) {
        ClusterView.HostView endpoint = view.writer();
        if (throughEndpoint(endpoint)) {
            return WriteRoute.ENDPOINT;
        }
        if (!directWrites || endpoint.usable()) {
            return WriteRoute.WAIT;
        }
        for (ClusterView.HostView reader : view.readers()) {
            if (reader.writableNow() && reader.primaryTimeline() > endpoint.primaryTimeline()) {
                return new WriteRoute.Direct(reader.host());
            }
        }
        return WriteRoute.WAIT;
    }

    /**
     * Whether writes go through the endpoint, from the endpoint alone: when it does, no reader can change the decision
     * ({@link #decide} asks the readers only when it does not), so the borrow path need not look at them.
     */
    public boolean throughEndpoint(ClusterView.HostView endpoint) {
        return endpoint.writableNow();
    }

    /** The re-check after a borrow: whether writes would still be routed to {@code route} now. */
    public boolean stillRoutes(ClusterView view, WriteRoute route) {
        return decide(view).equals(route);
    }

    /**
     * The hosts of the read list whose direct pool is worth warming while the endpoint leads to no primary: the
     * standbys (lagging ones too), one of which repmgrd is about to promote.
     */
    public List<HostSpec> promotionCandidates(ClusterView view) {
        return view.readers().stream()
                .filter(r -> r.state() == HostState.STANDBY || r.state() == HostState.LAGGING)
                .map(ClusterView.HostView::host).toList();
    }
}
