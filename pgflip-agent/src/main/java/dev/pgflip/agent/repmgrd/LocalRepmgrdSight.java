package dev.pgflip.agent.repmgrd;

import dev.pgflip.agent.db.KeptConnection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Supplier;

/** Reads {@link RepmgrdSight} from this node's PostgreSQL, on a kept connection: one query a look. */
public final class LocalRepmgrdSight implements Supplier<RepmgrdSight> {
    // The repmgr extension's functions are called only in recovery: a witness or primary never needs them.
    static final String QUERY = "SELECT pg_is_in_recovery(),"
            + " CASE WHEN pg_is_in_recovery() THEN repmgr.repmgrd_is_running() END,"
            + " CASE WHEN pg_is_in_recovery() THEN repmgr.get_upstream_last_seen() END,"
            + " (SELECT upstream_node_id FROM repmgr.nodes WHERE node_name = ?),"
            + " " + LocalWalStream.STREAMING_SENDER;

    private final KeptConnection local;
    private final String self;

    /** @param self this node's name in repmgr.nodes ({@code node.name}) */
    public LocalRepmgrdSight(KeptConnection local, String self) {
        this.local = local;
        this.self = self;
    }

    @Override
    public RepmgrdSight get() {
        return local.use("cannot read repmgrd's upstream_last_seen on this node", c -> {
            try (PreparedStatement ps = c.prepareStatement(QUERY)) {
                ps.setString(1, self);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    boolean inRecovery = rs.getBoolean(1);
                    boolean repmgrdRunning = rs.getBoolean(2);
                    int lastSeen = rs.getInt(3);
                    if (rs.wasNull()) {
                        lastSeen = RepmgrdSight.NEVER_SEEN;
                    }
                    int upstream = rs.getInt(4);
                    OptionalInt upstreamId = rs.wasNull() ? OptionalInt.empty() : OptionalInt.of(upstream);
                    return new RepmgrdSight(inRecovery, repmgrdRunning, lastSeen, upstreamId,
                            Optional.ofNullable(rs.getString(5)));
                }
            }
        });
    }
}
