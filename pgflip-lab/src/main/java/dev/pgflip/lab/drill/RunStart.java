package dev.pgflip.lab.drill;

import dev.pgflip.lab.Deadline;
import dev.pgflip.lab.Lab;
import dev.pgflip.lab.LabException;
import dev.pgflip.lab.LabNode;
import dev.pgflip.lab.LabStatus;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The cluster a measured fault starts from, checked: every node up in a role, the FLIP on the primary, every standby
 * streaming from the primary (after a failover the others follow the new primary: a fault injected before that would
 * find a standby still looking for its old upstream), and synchronous replication in force (the primary's watcher
 * turns it back on once a rejoined standby streams; a fault injected before that would measure the degraded mode, in
 * which a failover may lose acknowledged writes), and every standby's repmgrd looping: it saw its upstream within
 * {@link RepmgrdLooping#STALE_S} s. A repmgrd still inside an earlier election's wait (after a partial partition) ignores a
 * dead primary until the wait ends: a fault injected then would measure that wait, not a failover.
 *
 * @param standbys every standby, in the lab's node order; {@link #standby()} is the first, the one a fault on "the
 *     standby" targets
 */
record RunStart(LabNode primary, List<LabNode> standbys, LabNode witness) {
    private static final Duration SYNC_WAIT = Duration.ofSeconds(30);
    private static final Duration HEALTHY_WAIT = Duration.ofSeconds(10);

    RunStart {
        standbys = List.copyOf(standbys);
        if (standbys.isEmpty()) {
            throw new IllegalArgumentException("a run needs a standby");
        }
    }

    static RunStart await(Lab lab, String what) {
        LabStatus status = LabStatus.read(lab);
        // A node is shown "down" when it does not answer the status query within 1 s: on a loaded machine a login can
        // take that long once, so a few seconds of retries come before the verdict.
        Deadline healthyBy = Deadline.after(HEALTHY_WAIT);
        while (!status.healthy() && !healthyBy.expired()) {
            sleep();
            status = LabStatus.read(lab);
        }
        if (!status.healthy()) {
            throw new LabException(what + " needs a healthy lab, found (for " + HEALTHY_WAIT.toSeconds() + " s):\n"
                    + status.table());
        }
        RunStart start = new RunStart(node(lab, status, "primary"), nodes(lab, status, "standby"),
                node(lab, status, "witness"));
        start.awaitStreamingAndSynchronous(lab, what);
        return start;
    }

    LabNode standby() {
        return standbys.get(0);
    }

    /** The standbys' names. */
    List<String> standbyNames() {
        return standbys.stream().map(LabNode::name).toList();
    }

    /** The standby of that name (empty: none of this run's standbys). */
    Optional<LabNode> standbyNamed(String name) {
        return standbys.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** The standby that answers as the primary in {@code status} (empty: none does, e.g. no failover yet). */
    Optional<LabNode> standbyNowPrimary(LabStatus status) {
        return status.nodes().stream().filter(n -> n.role().equals("primary"))
                .flatMap(n -> standbyNamed(n.name()).stream()).findFirst();
    }

    LabNode withRole(String role) {
        return switch (role) {
            case "primary" -> primary;
            case "standby" -> standby();
            case "witness" -> witness;
            default -> throw new IllegalArgumentException("no role " + role);
        };
    }

    private void awaitStreamingAndSynchronous(Lab lab, String what) {
        Deadline deadline = Deadline.after(SYNC_WAIT);
        String seen = "not asked yet";
        while (!deadline.expired()) {
            try (Connection c = lab.appSql().connect(primary.address(), "postgres", 2); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT current_setting('synchronous_standby_names'),"
                         + " (SELECT count(*) FROM pg_stat_replication WHERE sync_state IN ('sync', 'quorum')),"
                         + " (SELECT coalesce(string_agg(application_name, ',' ORDER BY application_name), '')"
                         + "  FROM pg_stat_replication WHERE state = 'streaming')")) {
                rs.next();
                List<String> streaming = rs.getString(3).isEmpty() ? List.of() : List.of(rs.getString(3).split(","));
                List<String> missing = standbyNames().stream().filter(n -> !streaming.contains(n)).toList();
                List<String> stalled = missing.isEmpty() ? RepmgrdLooping.notLooping(lab, standbys) : List.of();
                if (!rs.getString(1).isEmpty() && rs.getLong(2) > 0 && missing.isEmpty() && stalled.isEmpty()) {
                    return;
                }
                seen = "synchronous_standby_names='" + rs.getString(1) + "', " + rs.getLong(2)
                        + " synchronous standby(s), not streaming from it: " + (missing.isEmpty() ? "none" : missing)
                        + (stalled.isEmpty() ? "" : ", repmgrd not looping: " + stalled);
            } catch (SQLException e) {
                seen = e.getMessage();
            }
            sleep();
        }
        throw new LabException(what + ": every standby streaming and synchronous replication in force on "
                + primary.name() + " did not come within " + SYNC_WAIT.toSeconds() + " s (" + seen + "); see "
                + lab.layout().watchLog(primary) + " and the standbys' repmgr and watch logs");
    }

    private static List<LabNode> nodes(Lab lab, LabStatus status, String role) {
        return status.nodes().stream().filter(n -> n.role().equals(role))
                .map(n -> lab.topology().node(n.name())).toList();
    }

    private static LabNode node(Lab lab, LabStatus status, String role) {
        return nodes(lab, status, role).get(0);
    }

    private static void sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException("interrupted while waiting for a healthy lab, every standby streaming and"
                    + " synchronous replication", e);
        }
    }
}
