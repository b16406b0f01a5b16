package dev.pgflip.agent.fence;

import dev.pgflip.agent.db.KeptConnection;
import dev.pgflip.agent.db.NodeConnector;
import dev.pgflip.agent.db.NodeTimeline;
import dev.pgflip.agent.node.FenceState;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The fence as PostgreSQL settings, like Patroni's demoted leader but without stopping the server (its reads keep
 * serving): {@code default_transaction_read_only = on} through ALTER SYSTEM, so it holds across restarts, then every
 * other client session is ended, because a session that began a read-write transaction before the reload could still
 * commit. The reason is kept in a {@link FenceRecord}. repmgr's own sessions are spared: they only read, and repmgrd
 * must keep monitoring.
 */
public final class ReadOnlyFence implements NodeFence, AutoCloseable {
    private final KeptConnection connection;
    private final String agentUser;
    private final FenceRecord record;

    public ReadOnlyFence(NodeConnector connector, FenceRecord record) {
        this.record = record;
        // the fence's own session must be able to lift it
        this.connection = connector.keepLocal(c -> {
                    try (Statement s = c.createStatement()) {
                        s.execute("SET default_transaction_read_only = off");
                    }
                    return null;
                });
        this.agentUser = connector.local().user();
    }

    @Override
    public Optional<FenceState> current() {
        return record.read();
    }

    @Override
    public void fence(FenceState state, Runnable writesRefused) {
        record(state);
        connection.use("cannot fence the node", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                    + " WHERE backend_type = 'client backend' AND pid <> pg_backend_pid() AND usename <> ?"
                    + " AND application_name NOT LIKE 'repmgr%'")) {
                ps.setString(1, agentUser);
                ps.executeQuery().close();
            }
            return null;
        });
        writesRefused.run();
    }

    /**
     * The record and the read-only setting, without ending any session: for a node that already refuses every write
     * (in recovery), whose readers need not lose their sessions when its fence changes reason. The record is tied to
     * the local timeline.
     */
    void record(FenceState state) {
        FenceState tied = state.timeline().isPresent() ? state
                : localTimeline().stream().mapToObj(state::on).findFirst().orElse(state);
        record.write(tied);
        connection.use("cannot fence the node", c -> {
            try (Statement s = c.createStatement()) {
                s.execute("ALTER SYSTEM SET default_transaction_read_only = on");
                s.execute("SELECT pg_reload_conf()");
            }
            return null;
        });
    }

    @Override
    public void lift() {
        connection.use("cannot lift the fence", c -> {
            try (Statement s = c.createStatement()) {
                s.execute("ALTER SYSTEM RESET default_transaction_read_only");
                s.execute("SELECT pg_reload_conf()");
            }
            return null;
        });
        record.delete();
    }

    /** The soft fence has nothing to undo beyond {@link #lift()}: the setting reset and the record gone. */
    @Override
    public void discard() {
        lift();
    }

    @Override
    public OptionalLong localTimeline() {
        try {
            return OptionalLong.of(connection.use("cannot read the local timeline", c -> {
                try (Statement s = c.createStatement(); var rs = s.executeQuery(NodeTimeline.QUERY)) {
                    rs.next();
                    return rs.getLong(1);
                }
            }));
        } catch (IllegalStateException e) {
            return OptionalLong.empty();
        }
    }

    /** Runs {@code work} on the fence's own session (whose reads and writes the fence spares). */
    <T> T onOwnSession(String what, KeptConnection.SqlWork<T> work) {
        return connection.use(what, work);
    }

    @Override
    public void close() {
        connection.close();
    }
}
