package dev.pgflip.lab.drill;

import dev.pgflip.agent.db.Recovery;
import dev.pgflip.agent.db.RepmgrNode;
import dev.pgflip.agent.db.RepmgrNodes;
import dev.pgflip.lab.Deadline;
import dev.pgflip.lab.Lab;
import dev.pgflip.lab.LabException;
import dev.pgflip.lab.LabFaults;
import dev.pgflip.lab.LabNode;
import dev.pgflip.lab.LabState;
import dev.pgflip.lab.Progress;
import dev.pgflip.lab.process.Pids;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * Brings a killed primary back the way a reboot of its host would: its repmgrd and {@code pgflip watch} stopped,
 * PostgreSQL started from its data directory, a fresh repmgrd, and a fresh watcher only once repmgrd has told the
 * repmgr extension which node this is ({@code repmgr.get_local_node_id()}).
 *
 * <p>Why the order: in a stale-restart drill the killed second primary was started again under the watcher and the
 * repmgrd that had run all along; 0.6 s later the watcher fenced its own node for good ({@code outranked: n2 is
 * primary on timeline 2}, n2 being itself) and refused the floating IP, so the lab could not be brought back. Its
 * guard asks "the other data nodes" of {@code repmgr.nodes}, all but {@code repmgr.get_local_node_id()}, which answers
 * -1 after PostgreSQL starts until repmgrd reconnects (measured here: the value is logged), so it asked itself. A
 * rebooted host starts repmgrd and the watcher after the database anyway.
 */
final class PrimaryReboot {
    private static final Duration REPMGRD_WAIT = Duration.ofSeconds(20);

    private final Lab lab;
    private final Progress progress;

    PrimaryReboot(Lab lab, Progress progress) {
        this.lab = lab;
        this.progress = progress;
    }

    void reboot(LabNode node) {
        LabState state = lab.state();
        stop(state.watchPids().get(node.name()), "pgflip watch");
        stop(state.repmgrdPids().get(node.name()), "repmgrd");
        new LabFaults(lab).restart(node);
        recordAsPrimaryIfRepmgrMissedIt(node);
        String before = localNodeId(node);
        long repmgrd = lab.postgres(node).startRepmgrd();
        lab.state().withRepmgrd(node.name(), repmgrd).save(lab.layout().stateFile());
        awaitRepmgrd(node);
        long watch = lab.postgres(node).startWatch();
        lab.state().withWatch(node.name(), watch).save(lab.layout().stateFile());
        progress.step("%s: PostgreSQL started again (repmgr.get_local_node_id() %s before repmgrd), then repmgrd"
                + " (pid %d) and pgflip watch (pid %d) afresh", node.name(), before, repmgrd, watch);
    }

    /**
     * A primary killed within a second of its promotion may have died before {@code repmgr standby promote} recorded
     * it (stale-restart, run 3 of 3 on 2026-12-04: killed 0.7 s after; its records still named the old primary, and
     * the old primary's rejoin then failed, "not registered as primary"). What pgflip rejoin tells the operator to do,
     * the lab does here: {@code repmgr primary register --force} on the node that answers as the primary.
     */
    private void recordAsPrimaryIfRepmgrMissedIt(LabNode node) {
        try (Connection c = lab.repmgrSql().connect(node.address(), "repmgr", 5)) {
            // The question pgflip rejoin asks of a newer primary, through the agent's own reading of repmgr.nodes.
            boolean recordedAsPrimary = RepmgrNodes.read(c).named(node.name())
                    .filter(n -> n.type() == RepmgrNode.Type.PRIMARY && n.active()).isPresent();
            if (Recovery.inRecovery(c) || recordedAsPrimary) {
                return;
            }
        } catch (SQLException e) {
            throw new LabException("cannot read " + node.name() + "'s repmgr records after its restart: " + e.getMessage(), e);
        }
        lab.postgres(node).repmgr("primary", "register", "--force");
        progress.step("%s: its promotion had not been recorded by repmgr before the kill: repmgr primary register"
                + " --force", node.name());
    }

    private String localNodeId(LabNode node) {
        try (Connection c = lab.repmgrSql().connect(node.address(), "repmgr", 2); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT repmgr.get_local_node_id()")) {
            rs.next();
            long id = rs.getLong(1);
            return rs.wasNull() ? "null" : Long.toString(id);
        } catch (SQLException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    private void stop(Long pid, String what) {
        if (pid != null && Pids.alive(pid)) {
            Pids.signal(lab.commands(), pid, "TERM");
            awaitGone(pid, what);
        }
    }

    private void awaitRepmgrd(LabNode node) {
        Deadline deadline = Deadline.after(REPMGRD_WAIT);
        String seen = "not asked yet";
        while (!deadline.expired()) {
            try (Connection c = lab.repmgrSql().connect(node.address(), "repmgr", 2); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT repmgr.get_local_node_id()")) {
                rs.next();
                long id = rs.getLong(1);
                if (!rs.wasNull() && id == node.nodeId()) {
                    return;
                }
                seen = "repmgr.get_local_node_id() = " + (rs.wasNull() ? "null" : id);
            } catch (SQLException e) {
                seen = e.getMessage();
            }
            sleep(200);
        }
        throw new LabException("repmgrd did not reconnect to " + node.name() + "'s PostgreSQL within "
                + REPMGRD_WAIT.toSeconds() + " s (" + seen + "); see " + lab.layout().repmgrdLog(node));
    }

    private static void awaitGone(long pid, String what) {
        for (int i = 0; i < 100 && Pids.alive(pid); i++) {
            sleep(50);
        }
        if (Pids.alive(pid)) {
            throw new LabException(what + " (pid " + pid + ") did not stop on SIGTERM within 5 s");
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException("interrupted while bringing a node back", e);
        }
    }
}
