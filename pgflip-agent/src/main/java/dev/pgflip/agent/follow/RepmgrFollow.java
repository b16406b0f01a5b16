package dev.pgflip.agent.follow;

import dev.pgflip.agent.config.RejoinConfig;
import dev.pgflip.agent.process.ProcessResult;
import dev.pgflip.agent.process.ProcessRunner;
import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * {@code repmgr standby follow} on this node, as repmgr.conf's own follow_command would run it: with the node's
 * repmgr.conf, logging to repmgr's log file, towards the node repmgrd named. Its output goes to our stdout and stderr,
 * which repmgrd logs.
 */
public final class RepmgrFollow {
    private final RejoinConfig rejoin;
    private final ProcessRunner runner;

    public RepmgrFollow(RejoinConfig rejoin, ProcessRunner runner) {
        this.rejoin = rejoin;
        this.runner = runner;
    }

    /** {@code repmgr standby follow -f /etc/repmgr.conf --log-to-file --upstream-node-id=N}. */
    public List<String> argv(int upstreamId) {
        return List.of(rejoin.repmgr(), "standby", "follow", "-f", rejoin.repmgrConf().toString(), "--log-to-file",
                "--upstream-node-id=" + upstreamId);
    }

    /** Runs it, killed after {@code timeout}. */
    public ProcessResult run(int upstreamId, Duration timeout) throws IOException {
        return runner.runInheritingOutput(argv(upstreamId), timeout);
    }

    /** The binary, for a message when it cannot be started. */
    public String program() {
        return rejoin.repmgr();
    }
}
