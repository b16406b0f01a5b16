package dev.pgflip.lab.drill;

import dev.pgflip.agent.repmgrd.StalledWaitRule;
import dev.pgflip.lab.Lab;
import dev.pgflip.lab.LabNode;
import dev.pgflip.lab.cluster.RepmgrConfig;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Stream;

/**
 * Whether each standby's repmgrd loops: it saw its upstream within {@link #STALE_S} s
 * ({@code repmgr.get_upstream_last_seen()}). A repmgrd still inside an earlier election's wait for a candidate's notice
 * (after a partial partition) ignores a dead primary until that wait ends.
 */
final class RepmgrdLooping {
    /** pgflip watch's own bound, for the lab's monitor_interval_secs. */
    static final int STALE_S = (int) StalledWaitRule.staleAfter(RepmgrConfig.MONITOR_INTERVAL_SECS).toSeconds();

    private RepmgrdLooping() {}

    /** The standbys whose repmgrd does not loop, each with what it said (empty: all loop). */
    static List<String> notLooping(Lab lab, List<LabNode> standbys) {
        return standbys.stream().flatMap(s -> {
            try (Connection c = lab.appSql().connect(s.address(), "repmgr", 2); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT repmgr.get_upstream_last_seen()")) {
                rs.next();
                int lastSeen = rs.getInt(1);
                return lastSeen >= 0 && lastSeen < STALE_S ? Stream.<String>empty()
                        : Stream.of(s.name() + " (upstream last seen " + (lastSeen < 0 ? "never" : lastSeen + " s ago")
                                + ")");
            } catch (SQLException e) {
                return Stream.of(s.name() + " (" + e.getMessage() + ")");
            }
        }).toList();
    }
}
