package dev.pgflip.jdbc.internal;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Turns {@link WriteRouter}'s decisions into pool routes for {@link WriterLending}: waits (bounded by the deadline)
 * while the decision is to wait, and re-asks the same decision after each borrow.
 */
final class WriterRoutes implements WriterLending.Router<Lease> {
    private static final long SUSPECT_BORROW_MILLIS = 50;
    /**
     * The longest one borrow waits for a connection to be made, while another route may appear: with fewer connections
     * lent than the pool's max, a borrow that waits at all waits for a login, not for a connection to come back. Seen
     * in the switchover drill (2026-12-06, DEBUG log): a writer decided on the endpoint just before the drain made it
     * read-only, its idle connections were evicted, and its borrow sat 1076 ms inside HikariCP while the other writer
     * had been writing directly to the new primary for 750 ms; that request took 1.35 s.
     */
    static final long LOGIN_WAIT_MILLIS = 100;
    private static final long DIRECT_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    /**
     * The longest one wait for the writer lasts: close() signals no tracker, so a borrow that waits across it notices
     * within this instead of at its deadline (10 s by default). A wake-up 10 times a second costs nothing measurable.
     */
    private static final long CLOSE_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final Cluster cluster;
    private final HostMember endpoint;
    private final WriteRouter router;
    private final DirectPools direct;
    private final Supplier<ClusterView> views;
    /** The endpoint alone, as {@code views} sees it: enough for the usual decision (see {@link WriteRouter}). */
    private final Supplier<ClusterView.HostView> endpointView;
    /** Whether a reader may become the route while the endpoint's tracker stays as it is: then the waits are short. */
    private final boolean directWritesPossible;
    /** The most connections a writer pool (the endpoint's or a direct one) lends. */
    private final int poolMax;

    WriterRoutes(Cluster cluster, HostMember endpoint, WriteRouter router, DirectPools direct,
                 Supplier<ClusterView> views, boolean directWritesPossible, int poolMax) {
        this.cluster = cluster;
        this.endpoint = endpoint;
        this.router = router;
        this.direct = direct;
        this.views = views;
        this.endpointView = () -> ClusterView.HostView.of(endpoint.tracker(), endpoint.pool().busy());
        this.directWritesPossible = directWritesPossible;
        this.poolMax = poolMax;
    }

    @Override
    public WriterLending.Route<Lease> next(Deadline deadline) throws InterruptedException, SQLException {
        while (true) {
            cluster.ensureOpen();
            // Every write asks this: a view of the readers too (built twice per borrow, with the re-check) was most of
            // a writer borrow's CPU in BorrowPathBenchmark, and they only matter while the endpoint takes no writes.
            ClusterView.HostView writer = endpointView.get();
            if (router.throughEndpoint(writer)) {
                return routeThrough(endpoint.pool(), WriteRoute.ENDPOINT, writer.suspect());
            }
            ClusterView view = views.get();
            if (!view.writer().writableNow() && view.writer().usable()) {
                // PRIMARY by its last classification but below the timeline mark: the thread that raised the mark is
                // re-classifying every host right now. Doing it here too (it is idempotent) makes the wait below
                // block on the stale state instead of spinning on it.
                endpoint.tracker().reclassify();
                view = views.get();
            }
            WriteRoute route = router.decide(view);
            if (route instanceof WriteRoute.Endpoint) {
                return routeThrough(endpoint.pool(), route, view.writer().suspect());
            }
            if (route instanceof WriteRoute.Direct d) {
                return routeThrough(direct.poolFor(d.host()), route, false);
            }
            if (deadline.expired()) {
                return null;
            }
            // Short slices while direct writes may apply: a reader's promotion does not signal the writer's tracker;
            // nor does close(), hence the longer slices otherwise.
            long slice = Math.min(deadline.remainingNanos(), directWritesPossible ? DIRECT_CHECK_NANOS : CLOSE_CHECK_NANOS);
            endpoint.tracker().awaitUsable(slice);
        }
    }

    private PoolRoute routeThrough(HostPool pool, WriteRoute route, boolean suspect) {
        // A writer whose last probe failed (not DOWN yet: it takes two in a row) may be dead: a borrow there would wait
        // a whole slice (1 s) for a connection HikariCP cannot make. Measured in the kill drill: both writer threads
        // stuck 1010 and 1046 ms in it while the monitor confirmed the failure 270 ms later. Short borrows instead,
        // each followed by a fresh route decision.
        long maxWait = suspect ? SUSPECT_BORROW_MILLIS
                : directWritesPossible && pool.busy() < poolMax ? LOGIN_WAIT_MILLIS : Long.MAX_VALUE;
        BooleanSupplier stillRoutes = route instanceof WriteRoute.Endpoint
                ? () -> router.throughEndpoint(endpointView.get())
                : () -> router.stillRoutes(views.get(), route);
        return new PoolRoute(pool, stillRoutes, e -> cluster.reportFailure(pool, e), maxWait);
    }

    /** No writer within the deadline: says why, from the endpoint's state. */
    SQLTransientConnectionException unavailable(SQLException last) {
        HostHealth h = endpoint.tracker().health();
        return new SQLTransientConnectionException("pgflip: no writable primary at " + endpoint.pool().host()
                + " within the deadline; writer state=" + h.state() + readOnlyHint(h.state())
                + (h.lastFailure() == null ? "" : ", last probe failure: " + h.lastFailure()), "08001", last);
    }

    /** Why a server that answers still gets no writes: the case an operator most needs spelled out. */
    private static String readOnlyHint(HostState state) {
        return switch (state) {
            case STANDBY, LAGGING -> " (the write endpoint leads to a standby in recovery: a floating IP still on a"
                    + " demoted node? writes are refused until it leads to the primary)";
            case STALE_PRIMARY -> " (the write endpoint leads to an old primary on an older timeline than another"
                    + " node's: refused so no write lands on a node that is about to be rewound)";
            case READ_ONLY -> " (the server behind the write endpoint is not in recovery but read-only:"
                    + " default_transaction_read_only=on; writes are refused until it is writable)";
            default -> "";
        };
    }
}
