package dev.pgflip.lab.drill;

import dev.pgflip.agent.repmgrd.StalledWaitRule;
import dev.pgflip.lab.Deadline;
import dev.pgflip.lab.Lab;
import dev.pgflip.lab.LabNode;
import dev.pgflip.lab.cluster.RepmgrConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Whether each standby's repmgrd loops: it saw its upstream within {@link #STALE_S} s
 * ({@code repmgr.get_upstream_last_seen()}). A repmgrd still inside an earlier election's wait for a candidate's notice
 * (after a partial partition) ignores a dead primary until that wait ends.
 */
final class RepmgrdLooping {
    /** pgflip watch's own bound, for the lab's monitor_interval_secs. */
    static final int STALE_S = (int) StalledWaitRule.staleAfter(RepmgrConfig.MONITOR_INTERVAL_SECS).toSeconds();
    /** Lines of each log shown for a standby whose repmgrd does not loop: its last election and pgflip's decisions. */
    private static final int LOG_TAIL_LINES = 12;

    /** What a standby's repmgrd and walreceiver showed when asked. */
    record Sight(LabNode node, boolean looping, String detail) {}

    private RepmgrdLooping() {}

    /** The standbys last looked at, and those of them whose repmgrd did not loop (empty: all loop). */
    record Looked(List<LabNode> standbys, List<String> notLooping) {
        boolean allLoop() {
            return notLooping.isEmpty();
        }
    }

    /**
     * Waits at most {@code wait} until every standby {@code standbys} names (asked again at each look, every
     * {@value #LOOK_EVERY_MS} ms) has a looping repmgrd.
     */
    static Looked await(Lab lab, Supplier<List<LabNode>> standbys, Duration wait) throws InterruptedException {
        Deadline deadline = Deadline.after(wait);
        List<LabNode> looked = standbys.get();
        List<String> notLooping = notLooping(lab, looked);
        while (!notLooping.isEmpty() && !deadline.expired()) {
            Thread.sleep(LOOK_EVERY_MS);
            looked = standbys.get();
            notLooping = notLooping(lab, looked);
        }
        return new Looked(looked, notLooping);
    }

    private static final long LOOK_EVERY_MS = 200;

    /** The standbys whose repmgrd does not loop, each with what it said (empty: all loop). */
    static List<String> notLooping(Lab lab, List<LabNode> standbys) {
        return standbys.stream().map(s -> look(lab, s)).filter(s -> !s.looping())
                .map(s -> s.node().name() + " (" + s.detail() + ")").toList();
    }

    /**
     * The tail of the repmgr, repmgrd (its own output: why it exited) and pgflip watch logs of each standby that does
     * not loop: what CI prints when the wait was not released, the lab (and its logs) being gone by the time anyone
     * reads it.
     */
    static String evidence(Lab lab, List<LabNode> standbys) {
        StringBuilder out = new StringBuilder();
        for (LabNode s : standbys) {
            Sight sight = look(lab, s);
            if (sight.looping()) {
                continue;
            }
            out.append(s.name()).append(": ").append(sight.detail()).append('\n');
            for (Path log : List.of(lab.layout().repmgrLog(s), lab.layout().repmgrdLog(s), lab.layout().watchLog(s))) {
                out.append("  last lines of ").append(log).append(":\n");
                tail(log).forEach(line -> out.append("    ").append(line).append('\n'));
            }
        }
        return out.toString();
    }

    private static Sight look(Lab lab, LabNode s) {
        try (Connection c = lab.appSql().connect(s.address(), "repmgr", 2); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT repmgr.get_upstream_last_seen(), repmgr.repmgrd_is_running(),"
                     + " (SELECT status || ' from ' || coalesce(sender_host, '?') FROM pg_stat_wal_receiver)")) {
            rs.next();
            int lastSeen = rs.getInt(1);
            boolean looping = lastSeen >= 0 && lastSeen < STALE_S;
            String receiver = rs.getString(3);
            return new Sight(s, looping, "upstream last seen " + (lastSeen < 0 ? "never" : lastSeen + " s ago")
                    + (rs.getBoolean(2) ? ", repmgrd running" : ", repmgrd NOT running")
                    + ", walreceiver " + (receiver == null ? "none" : receiver));
        } catch (SQLException e) {
            return new Sight(s, false, e.getMessage());
        }
    }

    private static List<String> tail(Path log) {
        try (Stream<String> lines = Files.lines(log, StandardCharsets.UTF_8)) {
            List<String> all = lines.toList();
            return all.subList(Math.max(0, all.size() - LOG_TAIL_LINES), all.size());
        } catch (IOException | java.io.UncheckedIOException e) {
            return List.of("(unreadable: " + e.getMessage() + ")");
        }
    }
}
