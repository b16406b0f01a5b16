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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts or stops this node's PostgreSQL the way repmgr does ({@code repmgr node service --action=ACTION}): with
 * repmgr.conf's {@code service_*_command} when it has one (systemd stays in charge of its postmaster), else pg_ctl.
 * Used by the rejoin and the switchover.
 */
public final class NodeService {
    private static final Logger log = LoggerFactory.getLogger(NodeService.class);

    private final RejoinConfig rejoin;
    private final ProcessRunner runner;
    private final Duration timeout;

    public NodeService(RejoinConfig rejoin, ProcessRunner runner, Duration timeout) {
        this.rejoin = rejoin;
        this.runner = runner;
        this.timeout = timeout;
    }

    /**
     * @param action {@code start} or {@code stop}
     * @param why what it is for, as the error says it: "cannot WHY: ..."
     */
    public void run(String action, String why) {
        List<String> argv = List.of(rejoin.repmgr(), "-f", rejoin.repmgrConf().toString(), "node", "service",
                "--action=" + action);
        try {
            ProcessResult result = runner.run(argv, Map.of(), timeout);
            if (!result.succeeded()) {
                throw new PgflipException(ExitCode.PROMOTE_FAILED, "cannot " + why + ": " + result.describe());
            }
            log.info("done: {}", why);
        } catch (IOException e) {
            throw new PgflipException(ExitCode.USAGE, "cannot run " + rejoin.repmgr() + ": " + e.getMessage()
                    + " (set rejoin.repmgr to the repmgr binary)", e);
        }
    }
}
