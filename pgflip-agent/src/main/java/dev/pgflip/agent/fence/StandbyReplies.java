package dev.pgflip.agent.fence;

import dev.pgflip.agent.db.KeptConnection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * When each standby streaming from this node last answered its walsender, by this process's clock: a standby's
 * {@code reply_time} in {@code pg_stat_replication} is stamped by the standby's own clock, so it is only compared with
 * the one this node read before, and a newer one counts as a reply heard at the look that read it. A standby whose
 * walreceiver still replies is in recovery and streaming from this node, whatever the witness says it claimed: the
 * fence's fast look uses it to tell a claim made while this node was briefly stalled (the claimant's hook then finds
 * this node answering and withdraws it) from one made across a partition (no reply since the cut). Not thread-safe:
 * the fence's look thread owns it.
 */
public final class StandbyReplies implements AutoCloseable {
    static final String QUERY = "SELECT application_name, reply_time FROM pg_stat_replication"
            + " WHERE state = 'streaming' AND reply_time IS NOT NULL";

    private final Supplier<Optional<Map<String, Instant>>> read;
    private final LongSupplier nanoClock;
    private final Runnable onClose;
    private final Map<String, Instant> lastReply = new HashMap<>();
    private final Map<String, Long> heardAtNanos = new HashMap<>();

    /**
     * @param read each streaming standby's last {@code reply_time} by its {@code application_name} (repmgr names it
     *     after the node), empty when the local node cannot be asked
     */
    StandbyReplies(Supplier<Optional<Map<String, Instant>>> read, LongSupplier nanoClock, Runnable onClose) {
        this.read = read;
        this.nanoClock = nanoClock;
        this.onClose = onClose;
    }

    /** Knows of no reply: every claim is acted on at once, as before this was asked. */
    public static StandbyReplies none() {
        return new StandbyReplies(Optional::empty, System::nanoTime, () -> {});
    }

    /** Asks the local node on one kept connection, closed with this. */
    public static StandbyReplies onLocalNode(KeptConnection local, LongSupplier nanoClock) {
        return new StandbyReplies(() -> {
            try {
                return Optional.of(local.use("cannot read the standbys' replies", c -> {
                    Map<String, Instant> replies = new HashMap<>();
                    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(QUERY)) {
                        while (rs.next()) {
                            Timestamp at = rs.getTimestamp(2);
                            replies.put(rs.getString(1), at.toInstant());
                        }
                    }
                    return replies;
                }));
            } catch (IllegalStateException e) {
                return Optional.empty();
            }
        }, nanoClock, local::close);
    }

    /**
     * One look. A standby no longer streaming is forgotten (a walsender started again is a new stream); when the node
     * cannot be asked, what was heard before stands and ages.
     */
    public void look() {
        Optional<Map<String, Instant>> now = read.get();
        if (now.isEmpty()) {
            return;
        }
        long at = nanoClock.getAsLong();
        lastReply.keySet().retainAll(now.get().keySet());
        heardAtNanos.keySet().retainAll(now.get().keySet());
        now.get().forEach((standby, replyTime) -> {
            Instant before = lastReply.put(standby, replyTime);
            if (before != null && replyTime.isAfter(before)) {
                heardAtNanos.put(standby, at);
            }
        });
    }

    /**
     * Whether {@code standby} streams from this node and a reply of it was heard within {@code within} of now. The
     * first look that sees a standby hears nothing yet: only a reply newer than one seen before counts.
     */
    public boolean heardWithin(String standby, Duration within) {
        Long heard = heardAtNanos.get(standby);
        return heard != null && nanoClock.getAsLong() - heard <= within.toNanos();
    }

    @Override
    public void close() {
        onClose.run();
    }
}
