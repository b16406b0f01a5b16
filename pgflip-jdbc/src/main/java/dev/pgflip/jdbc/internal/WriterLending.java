package dev.pgflip.jdbc.internal;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lends a writer connection only while its host is still fit for writes. The route is decided from the trackers, the
 * pool borrowed from (up to a second inside HikariCP), and the host checked again before the connection goes out: a
 * monitor may have seen it go DOWN, or another host may have reported a newer timeline (making this one a stale
 * primary), while the borrow waited. Such a connection is given back unused and the write routed again; a write that
 * went out on it would have been aborted at best and, on a stale primary, lost at its rejoin.
 */
final class WriterLending {
    private static final Logger log = LoggerFactory.getLogger(WriterLending.class);

    /** Where writes go as decided now: one pool, and how to ask again whether its host still takes writes. */
    interface Route<L> {
        L borrow(long timeoutMillis) throws SQLException;

        /** Asked after the borrow: false if the host stopped being fit for writes since the route was decided. */
        boolean stillWritable();

        /** Gives back a connection that must not go out (no statement ran on it). */
        void discard(L lease);

        /** The borrow failed: the host's pool and monitor should hear of it. */
        void failed(SQLException failure);
    }

    /**
     * Decides the next route, waiting (bounded by the deadline) for one; null once the deadline passed. Throws when no
     * route can ever come (the data source was closed).
     */
    @FunctionalInterface
    interface Router<L> {
        Route<L> next(Deadline deadline) throws InterruptedException, SQLException;
    }

    /** Builds the exception for "no writer within the deadline" from the last borrow failure (may be null). */
    @FunctionalInterface
    interface Unavailable {
        SQLException because(SQLException last);
    }

    private WriterLending() {
    }

    static <L> L lend(Router<L> router, Deadline deadline, Unavailable unavailable) throws SQLException {
        SQLException last = null;
        while (true) {
            Route<L> route;
            try {
                route = router.next(deadline);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SQLTransientConnectionException("pgflip: interrupted waiting for a writer", "08001", e);
            }
            if (route == null) {
                throw unavailable.because(last);
            }
            L lease;
            try {
                lease = route.borrow(Math.max(1, deadline.remainingMillis()));
            } catch (SQLException e) {
                last = e;
                route.failed(e);
                if (deadline.expired()) {
                    throw unavailable.because(e);
                }
                continue;
            }
            if (route.stillWritable()) {
                return lease;
            }
            // The host changed state while the borrow waited. The router sees the same change, so it does not hand
            // this route out again unless the host becomes fit once more.
            log.debug("pgflip writer connection given back unused: {} stopped taking writes while it was borrowed", route);
            route.discard(lease);
        }
    }
}
