package dev.pgflip.agent.rejoin;

import dev.pgflip.agent.ExitCode;
import dev.pgflip.agent.PgflipException;
import dev.pgflip.agent.config.RejoinConfig;
import dev.pgflip.agent.process.ProcessResult;
import dev.pgflip.agent.process.ProcessRunner;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Whether this node's postmaster runs ({@code pg_ctl status}: 0 running, 3 not running). A node that does not answer
 * SQL is not necessarily stopped: one starting up (crash recovery, a fence's restart in progress, its link just back)
 * refuses connections too, and its control file then reads "in archive recovery" like one killed in recovery. The
 * drill's link-down rejoin took such a node for stopped, and its own start failed on the running postmaster.
 */
final class PostmasterStatus {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Path PROC = Path.of("/proc");

    private PostmasterStatus() {}

    static boolean running(RejoinConfig rejoin, ProcessRunner runner) {
        LocalServer server = LocalServer.of(rejoin);
        ProcessResult result = server.run("pg_ctl", List.of("status"), runner, TIMEOUT);
        if (result.exitCode() == 0) {
            // pg_ctl trusts any live process with the lock file's PID (see PostmasterLock).
            return !PostmasterLock.removeIfStale(Path.of(server.dataDirectory()), PROC);
        }
        if (result.exitCode() == 3) {
            return false;
        }
        throw new PgflipException(ExitCode.USAGE, "cannot tell whether this node's PostgreSQL runs: " + result.describe()
                + " (is data_directory in " + server.repmgrConf() + " right?); nothing was changed");
    }
}
