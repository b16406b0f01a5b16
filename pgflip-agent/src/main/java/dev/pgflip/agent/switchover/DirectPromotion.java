package dev.pgflip.agent.switchover;

import dev.pgflip.agent.db.Conninfo;
import dev.pgflip.agent.db.NodeConnector;
import dev.pgflip.agent.db.Recovery;
import dev.pgflip.agent.watch.PromotionClaims;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;

/**
 * The switchover's promotion of its target, made from here over connections opened before the drain, so the write
 * pause holds no process start and no connection: the claim on the witness (one statement), then {@code pg_promote} on
 * the target, polled every 20 ms until it answers as a primary. The hook's own path (a shell, psql sessions, then
 * {@code repmgr standby promote}'s checks, which refuse a node that is already a primary) cost about 1.2 s of the pause
 * on the lab; the promotion is recorded in repmgr afterwards by the same hook ({@code PGFLIP_PROMOTED_BY=switchover}).
 * The old primary is stopped and the target has received its shutdown checkpoint before this runs, so the checks the
 * hook makes on a failover (another standby with more WAL, a primary still writing) cannot fail here.
 */
final class DirectPromotion implements AutoCloseable {
    private static final long POLL_MS = 20;

    /** What happened: only {@link #NOT_PROMOTED} leaves the old primary free to take over again. */
    enum Outcome {
        PROMOTED,
        /** nothing was promoted and the claim (if any) was withdrawn */
        NOT_PROMOTED,
        /** the promotion was requested (or may have been) but not seen done: the old primary must stay stopped */
        UNKNOWN
    }

    record Result(Outcome outcome, String detail) {}

    private final String target;
    private final Connection targetConnection;
    private final Optional<Connection> witness;

    DirectPromotion(String target, Connection targetConnection, Optional<Connection> witness) {
        this.target = target;
        this.targetConnection = targetConnection;
        this.witness = witness;
    }

    /** Opens both connections now, before anything changes: a failure here aborts with nothing changed. */
    static DirectPromotion open(NodeConnector connector, String target, Conninfo targetNode, Optional<Conninfo> witness)
            throws SQLException {
        Connection t = connector.connect(targetNode);
        try {
            Optional<Connection> w = Optional.empty();
            if (witness.isPresent()) {
                w = Optional.of(connector.connect(witness.get()));
                try (Statement s = w.get().createStatement()) {
                    s.execute(PromotionClaims.SCHEMA);
                }
            }
            return new DirectPromotion(target, t, w);
        } catch (SQLException e) {
            t.close();
            throw e;
        }
    }

    /** The kept connection to the target (the switchover polls how far it has received on it). */
    Connection target() {
        return targetConnection;
    }

    /**
     * The claim alone, so the switchover can make it while the target still receives the old primary's last WAL:
     * empty once claimed, else why not (nothing to withdraw).
     */
    Optional<Result> claimFirst() {
        try {
            if (!claim()) {
                return Optional.of(new Result(Outcome.NOT_PROMOTED, "the witness refused the claim: the primary marked "
                        + target + " ineligible"));
            }
            return Optional.empty();
        } catch (SQLException e) {
            // The claim's statement failed, so it did not commit: nothing to withdraw.
            return Optional.of(new Result(Outcome.NOT_PROMOTED, "cannot claim the promotion of " + target
                    + " on the witness (" + e.getMessage() + ")"));
        }
    }

    /** After {@link #claimFirst()}: {@code pg_promote} on the target, then waits for it to answer as a primary. */
    Result promoteClaimed(Duration wait) {
        try (Statement s = targetConnection.createStatement();
             ResultSet rs = s.executeQuery("SELECT pg_promote(wait => false)")) {
            if (!rs.next() || !rs.getBoolean(1)) {
                return withdrawn("pg_promote() on " + target + " could not signal its startup process");
            }
        } catch (SQLException e) {
            if (e.getSQLState() != null && !e.getSQLState().startsWith("08")) {
                // An error raised by pg_promote itself (permission, not in recovery): nothing was signalled.
                return withdrawn("pg_promote() on " + target + " failed: " + e.getMessage());
            }
            return new Result(Outcome.UNKNOWN, "the connection to " + target + " broke during pg_promote() ("
                    + e.getMessage() + "): it may be promoting");
        }
        return awaitPrimary(wait);
    }

    private boolean claim() throws SQLException {
        if (witness.isEmpty()) {
            return true; // no witness registered: the hook promotes without a claim too
        }
        try (PreparedStatement ps = witness.get().prepareStatement(PromotionClaims.CLAIM)) {
            ps.setString(1, target);
            ps.setString(2, target);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /**
     * A claim made and not followed by {@code pg_promote}, taken back: {@link Outcome#NOT_PROMOTED}, or
     * {@link Outcome#UNKNOWN} when the witness did not take it back (the old primary must then stay stopped).
     */
    Result withdrawn(String why) {
        if (witness.isEmpty()) {
            return new Result(Outcome.NOT_PROMOTED, why);
        }
        try (PreparedStatement ps = witness.get().prepareStatement(PromotionClaims.WITHDRAW_CLAIM)) {
            ps.setString(1, target);
            ps.executeUpdate();
            return new Result(Outcome.NOT_PROMOTED, why + "; its claim on the witness was withdrawn");
        } catch (SQLException e) {
            // Left standing, the claim would make the old primary fence itself once started again: say so, keep it down.
            return new Result(Outcome.UNKNOWN, why + ", and its claim on the witness could not be withdrawn ("
                    + e.getMessage() + ")");
        }
    }

    private Result awaitPrimary(Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        try {
            while (Recovery.inRecovery(targetConnection)) {
                if (System.nanoTime() - deadline >= 0) {
                    return new Result(Outcome.UNKNOWN, target + " was told to promote but was still in recovery after "
                            + wait.toMillis() + " ms");
                }
                Thread.sleep(POLL_MS);
            }
            return new Result(Outcome.PROMOTED, target + " answers as a primary");
        } catch (SQLException e) {
            return new Result(Outcome.UNKNOWN, "cannot ask " + target + " whether it was promoted (" + e.getMessage()
                    + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(Outcome.UNKNOWN, "interrupted while " + target + " was promoting");
        }
    }

    @Override
    public void close() {
        try {
            targetConnection.close();
        } catch (SQLException ignored) {
            // closing only
        }
        witness.ifPresent(w -> {
            try {
                w.close();
            } catch (SQLException ignored) {
                // closing only
            }
        });
    }
}
