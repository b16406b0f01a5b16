package dev.pgflip.agent.provider;

import dev.pgflip.agent.config.ExecConfig;
import dev.pgflip.agent.process.ProcessResult;
import dev.pgflip.agent.process.ProcessRunner;
import dev.pgflip.agent.time.Deadline;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;

/**
 * Delegates the move to an external command. It gets {@code PGFLIP_IP}, {@code PGFLIP_NODE},
 * {@code PGFLIP_DROPLET_ID} (empty when unknown) and {@code PGFLIP_ACTION} (assign or unassign) in its environment
 * and must exit 0 only once the address answers on the target.
 */
public final class ExecFlipProvider implements FlipProvider {
    private final ExecConfig config;
    private final String ip;
    private final NodeIdentity self;
    private final ProcessRunner runner;

    public ExecFlipProvider(ExecConfig config, String ip, NodeIdentity self, ProcessRunner runner) {
        this.config = config;
        this.ip = ip;
        this.self = self;
        this.runner = runner;
    }

    @Override
    public FlipStatus status() {
        return FlipStatus.unknown(ip);
    }

    @Override
    public AssignResult assign(NodeIdentity target, Deadline deadline) {
        run("assign", target, deadline);
        return AssignResult.moved(ip, target, deadline.elapsed());
    }

    @Override
    public void unassign(Deadline deadline) {
        run("unassign", self, deadline);
    }

    private void run(String action, NodeIdentity node, Deadline deadline) {
        Map<String, String> env = Map.of(
                "PGFLIP_IP", ip,
                "PGFLIP_NODE", node.name(),
                "PGFLIP_DROPLET_ID", node.dropletId().isPresent() ? Long.toString(node.dropletId().getAsLong()) : "",
                "PGFLIP_ACTION", action);
        Duration budget = deadline.remaining();
        ProcessResult r;
        try {
            r = runner.run(config.command(), env, budget);
        } catch (IOException e) {
            throw new FlipException("cannot run exec.command " + config.command().get(0) + ": " + e.getMessage(), e);
        }
        if (r.timedOut()) {
            throw new FlipException("exec.command " + String.join(" ", config.command()) + " did not finish within "
                    + budget.toMillis() + "ms and was killed");
        }
        if (!r.succeeded()) {
            throw new FlipException("exec.command failed to " + action + " " + ip + ": " + r.describe());
        }
    }
}
