package dev.pgflip.agent.repmgrd;

import dev.pgflip.agent.db.KeptConnection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.function.Supplier;

/**
 * Reads {@link WalStream} from this node's PostgreSQL on a kept connection, one query a look. The walreceiver's status
 * and sender are shown only to superusers and pg_read_all_stats (the guide's repmgr user is a superuser); to others
 * every standby reads as not streaming, which never wakes repmgrd (only a change from streaming does).
 */
public final class LocalWalStream implements Supplier<WalStream> {
    /** The host the walreceiver streams from, NULL while it does not stream. */
    static final String STREAMING_SENDER =
            "(SELECT sender_host FROM pg_stat_wal_receiver WHERE status = 'streaming' LIMIT 1)";
    static final String QUERY = "SELECT pg_is_in_recovery(), " + STREAMING_SENDER;

    private final KeptConnection local;

    public LocalWalStream(KeptConnection local) {
        this.local = local;
    }

    @Override
    public WalStream get() {
        return local.use("cannot read this node's WAL stream (pg_stat_wal_receiver)", c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(QUERY)) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    return WalStream.NOT_A_STANDBY;
                }
                String sender = rs.getString(2);
                return sender == null ? WalStream.NOT_STREAMING : WalStream.streamingFrom(sender);
            }
        });
    }
}
