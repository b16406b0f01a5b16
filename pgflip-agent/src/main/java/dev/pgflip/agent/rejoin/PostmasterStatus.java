package dev.pgflip.agent.rejoin;

import dev.pgflip.agent.ExitCode;
import dev.pgflip.agent.PgflipException;
import dev.pgflip.agent.config.RejoinConfig;
import dev.pgflip.agent.process.ProcessResult;
import dev.pgflip.agent.process.ProcessRunner;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Whether this node's postmaster runs ({@code pg_ctl status}: 0 running, 3 not running). A node that does not answer
 * SQL is not necessarily stopped: one starting up (crash recovery, a fence's restart in progress, its link just back)
 * refuses connections too, and its control file then reads "in archive recovery" like one killed in recovery. The
 * drill's link-down rejoin took such a node for stopped, and its own start failed on the running postmaster.
 */
final class PostmasterStatus {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private PostmasterStatus() {}

    static boolean running(RejoinConfig rejoin, ProcessRunner runner) {
        LocalServer server = LocalServer.of(rejoin);
        String pgCtl = server.program("pg_ctl");
        ProcessResult result;
        try {
            result = runner.run(List.of(pgCtl, "status", "-D", server.dataDirectory()), Map.of("LC_ALL", "C"), TIMEOUT);
        } catch (IOException e) {
            throw new PgflipException(ExitCode.USAGE, "cannot run " + pgCtl + ": " + e.getMessage() + " (set pg_bindir"
                    + " in " + server.repmgrConf() + " to PostgreSQL's bin directory); nothing was changed", e);
        }
        if (result.exitCode() == 0) {
            return true;
        }
        if (result.exitCode() == 3) {
            return false;
        }
        throw new PgflipException(ExitCode.USAGE, "cannot tell whether this node's PostgreSQL runs: " + result.describe()
                + " (is data_directory in " + server.repmgrConf() + " right?); nothing was changed");
    }
}
