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

/**
 * The cluster a measured fault starts from, checked: every node up in a role, the FLIP on the primary, and
 * synchronous replication in force (the primary's watcher turns it back on once a rejoined standby streams; a fault
 * injected before that would measure the degraded mode, in which a failover may lose acknowledged writes).
 */
record RunStart(LabNode primary, LabNode standby, LabNode witness) {
    private static final Duration SYNC_WAIT = Duration.ofSeconds(15);

    static RunStart await(Lab lab, String what) {
        LabStatus status = LabStatus.read(lab);
        if (!status.healthy()) {
            throw new LabException(what + " needs a healthy lab, found:\n" + status.table());
        }
        RunStart start = new RunStart(node(lab, status, "primary"), node(lab, status, "standby"),
                node(lab, status, "witness"));
        start.awaitSynchronous(lab, what);
        return start;
    }

    LabNode withRole(String role) {
        return switch (role) {
            case "primary" -> primary;
            case "standby" -> standby;
            case "witness" -> witness;
            default -> throw new IllegalArgumentException("no role " + role);
        };
    }

    private void awaitSynchronous(Lab lab, String what) {
        Deadline deadline = Deadline.after(SYNC_WAIT);
        String seen = "not asked yet";
        while (!deadline.expired()) {
            try (Connection c = lab.appSql().connect(primary.address(), "postgres", 2); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT current_setting('synchronous_standby_names'),"
                         + " (SELECT count(*) FROM pg_stat_replication WHERE sync_state IN ('sync', 'quorum'))")) {
                rs.next();
                if (!rs.getString(1).isEmpty() && rs.getLong(2) > 0) {
                    return;
                }
                seen = "synchronous_standby_names='" + rs.getString(1) + "', " + rs.getLong(2) + " synchronous standby(s)";
            } catch (SQLException e) {
                seen = e.getMessage();
            }
            sleep();
        }
        throw new LabException(what + ": synchronous replication is not in force on " + primary.name() + " after "
                + SYNC_WAIT.toSeconds() + " s (" + seen + "); see " + lab.layout().watchLog(primary));
    }

    private static LabNode node(Lab lab, LabStatus status, String role) {
        return lab.topology().node(status.nodes().stream().filter(n -> n.role().equals(role)).findFirst()
                .map(LabStatus.NodeStatus::name).orElseThrow());
    }

    private static void sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException("interrupted while waiting for synchronous replication", e);
        }
    }
}
