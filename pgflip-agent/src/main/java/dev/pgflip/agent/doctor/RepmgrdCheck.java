package dev.pgflip.agent.doctor;

import dev.pgflip.agent.repmgr.RepmgrConf;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;

/**
 * repmgrd runs on this node. Asked the way {@code repmgr service status} asks: the repmgr extension's shared memory
 * holds the daemon's PID ({@code repmgr.repmgrd_is_running()} signals it with kill 0) and whether it is paused. Without
 * a database connection, {@code repmgrd_pid_file} from repmgr.conf is the fallback.
 */
final class RepmgrdCheck {
    private final Optional<LocalNode> node;
    private final Optional<RepmgrConf> conf;

    RepmgrdCheck(Optional<LocalNode> node, Optional<RepmgrConf> conf) {
        this.node = node;
        this.conf = conf;
    }

    void run(DoctorReport report) {
        String confFile = conf.map(c -> c.file().toString()).orElse("/etc/repmgr.conf");
        String start = "start it: repmgrd -f " + confFile + " (or: systemctl start repmgrd), as postgres";
        if (node.isPresent()) {
            try (Statement s = node.get().connection().createStatement(); ResultSet rs = s.executeQuery(
                    "SELECT repmgr.repmgrd_is_running(), repmgr.get_repmgrd_pid(), repmgr.repmgrd_is_paused()")) {
                rs.next();
                boolean running = rs.getBoolean(1);
                if (!rs.wasNull()) {
                    report.add(running ? runningResult(rs.getLong(2), rs.getBoolean(3), confFile)
                            : CheckResult.fail("repmgrd", "repmgrd does not run on this node: nothing will promote a standby"
                                    + " or follow a new primary", start));
                    return;
                }
                // NULL: the repmgr library is not preloaded, so there is no shared memory to ask (a check below says so).
            } catch (SQLException e) {
                // no repmgr extension in this database: fall back to the PID file
            }
        }
        report.add(fromPidFile(start));
    }

    private static CheckResult runningResult(long pid, boolean paused, String confFile) {
        if (paused) {
            return CheckResult.fail("repmgrd", "repmgrd runs (pid " + pid + ") but is paused: it will not fail over",
                    "repmgr -f " + confFile + " service unpause");
        }
        return CheckResult.ok("repmgrd", "repmgrd runs (pid " + pid + ", not paused)");
    }

    private CheckResult fromPidFile(String start) {
        if (node.isEmpty() && conf.isEmpty()) {
            return CheckResult.skipped("repmgrd", "repmgrd not checked: neither PostgreSQL nor repmgr.conf can tell");
        }
        Optional<String> pidFile = conf.flatMap(c -> c.value("repmgrd_pid_file"));
        if (pidFile.isEmpty()) {
            // What hides the answer (PostgreSQL down, no repmgr extension) is reported by its own check.
            return CheckResult.skipped("repmgrd", "repmgrd not checked: the repmgr extension does not answer and"
                    + " repmgr.conf has no repmgrd_pid_file");
        }
        try {
            long pid = Long.parseLong(Files.readString(Path.of(pidFile.get())).strip());
            if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                return CheckResult.ok("repmgrd", "repmgrd runs (pid " + pid + " from " + pidFile.get() + ")");
            }
            return CheckResult.fail("repmgrd", "repmgrd does not run: " + pidFile.get() + " names pid " + pid
                    + ", which is gone", start);
        } catch (IOException | NumberFormatException e) {
            return CheckResult.fail("repmgrd", "repmgrd does not seem to run: no usable PID in " + pidFile.get()
                    + " (" + e.getMessage() + ")", start);
        }
    }
}
