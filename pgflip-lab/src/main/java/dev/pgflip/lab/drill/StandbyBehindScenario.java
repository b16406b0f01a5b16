package dev.pgflip.lab.drill;

import dev.pgflip.lab.Deadline;
import dev.pgflip.lab.Lab;
import dev.pgflip.lab.LabException;
import dev.pgflip.lab.LabFaults;
import dev.pgflip.lab.LabNode;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * Two or more standbys, the first of them behind: its walreceiver is stopped ({@code primary_conninfo} emptied and
 * reloaded, which PostgreSQL 13+ applies at once) before the load starts, so it receives none of the warm-up's writes,
 * while the other standbys keep streaming and acknowledging synchronous commits ({@code ANY 1}). Then the primary is
 * killed. repmgrd must elect the most advanced standby, not the one behind, which would win a tie (the lowest node id
 * after equal LSN and priority), and the one behind must then follow the new primary ({@code standbys_follow}).
 *
 * <p>Its repmgrd is not disturbed: it watches the primary over its own connection, not the walreceiver, so the stopped
 * stream alone starts no failover. {@code repmgr standby follow} writes a new {@code primary_conninfo}, which undoes
 * the fault; {@link #cleanUp} restores the old one should the follow not have come.
 */
final class StandbyBehindScenario implements FaultScenario {
    private static final Duration STOPPED_WAIT = Duration.ofSeconds(10);

    private final Lab lab;
    private final LabNode primary;
    private final LabNode behind;
    private final Map<Phase, Long> phases = new EnumMap<>(Phase.class);
    private String savedConninfo;
    private Long behindBytes;

    StandbyBehindScenario(Lab lab, RunStart start) {
        if (start.standbys().size() < 2) {
            throw new LabException("fault 'standby-behind' needs two or more standbys (one behind, one ahead): run"
                    + " './pgflip lab up --standbys 2' first");
        }
        this.lab = lab;
        this.primary = start.primary();
        this.behind = start.standby();
    }

    @Override
    public void prepare() {
        try (Connection c = lab.appSql().connect(behind.address(), "postgres", 2); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SHOW primary_conninfo")) {
                rs.next();
                savedConninfo = rs.getString(1);
            }
            s.execute("ALTER SYSTEM SET primary_conninfo = ''");
            s.execute("SELECT pg_reload_conf()");
            Deadline deadline = Deadline.after(STOPPED_WAIT);
            while (streaming(s)) {
                if (deadline.expired()) {
                    throw new LabException(behind.name() + "'s walreceiver still streams " + STOPPED_WAIT.toSeconds()
                            + " s after primary_conninfo was emptied");
                }
                Thread.sleep(100);
            }
            phases.put(Phase.STANDBY_STOPPED_STREAMING, System.currentTimeMillis());
        } catch (SQLException e) {
            throw new LabException("cannot stop " + behind.name() + "'s walreceiver: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException("interrupted while stopping " + behind.name() + "'s walreceiver", e);
        }
    }

    @Override
    public void inject(LabNode target) {
        behindBytes = gapBytes();
        new LabFaults(lab).inject(LabFaults.Fault.KILL, target);
    }

    /** How far the standby's received WAL is behind the primary's, asked just before the kill (null: not known). */
    private Long gapBytes() {
        try (Connection p = lab.appSql().connect(primary.address(), "postgres", 2); Statement ps = p.createStatement();
             Connection b = lab.appSql().connect(behind.address(), "postgres", 2); Statement bs = b.createStatement();
             ResultSet received = bs.executeQuery("SELECT pg_last_wal_receive_lsn()::text")) {
            received.next();
            String lsn = received.getString(1);
            try (ResultSet rs = ps.executeQuery("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '"
                    + (lsn == null ? "0/0" : lsn) + "'::pg_lsn)::bigint")) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            return null;
        }
    }

    @Override
    public Map<Phase, Long> phases() {
        return Map.copyOf(phases);
    }

    @Override
    public ScenarioFigures figures(long faultMs, Long flipMovedMs) {
        return ScenarioFigures.NONE.withStandbyBehind(new StandbyBehind(behind.name(), behindBytes));
    }

    @Override
    public void cleanUp() {
        try (Connection c = lab.appSql().connect(behind.address(), "postgres", 2); Statement s = c.createStatement()) {
            if (!streaming(s) && savedConninfo != null && currentConninfo(s).isEmpty()) {
                s.execute("ALTER SYSTEM SET primary_conninfo = '" + savedConninfo.replace("'", "''") + "'");
                s.execute("SELECT pg_reload_conf()");
            }
        } catch (SQLException e) {
            // Not running: the recovery after the run starts it again with its configuration as the follow left it.
        }
    }

    private static boolean streaming(Statement s) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_stat_wal_receiver")) {
            rs.next();
            return rs.getLong(1) > 0;
        }
    }

    private static String currentConninfo(Statement s) throws SQLException {
        try (ResultSet rs = s.executeQuery("SHOW primary_conninfo")) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** The standby kept behind, and by how many bytes of WAL just before the kill (null: not known). */
    record StandbyBehind(String node, Long bytes) {}
}
