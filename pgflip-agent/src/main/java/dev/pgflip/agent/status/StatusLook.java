package dev.pgflip.agent.status;

import dev.pgflip.agent.config.AgentConfig;
import dev.pgflip.agent.config.ReplicationConfig;
import dev.pgflip.agent.db.NodeConnector;
import dev.pgflip.agent.fence.FenceRecord;
import dev.pgflip.agent.node.FenceState;
import java.util.Map;
import java.util.Optional;

/**
 * One {@code pgflip status} look from this node, the effects in one place: the nodes ({@link ClusterProbe}), the
 * floating IP ({@link FlipProbe}), this node's fence record and events file; then the pure assembly and rules. Reads
 * only: nothing is changed anywhere. Bounded: 5 s for the nodes, then at most 2 s per metadata call and 5 s per API
 * call.
 *
 * <pre>{@code
 * StatusReport report = new StatusLook(config, System.getenv()).look(5);
 * System.out.print(StatusOutput.render(report, StatusOutput.Format.TEXT));
 * }</pre>
 */
public final class StatusLook {
    private final AgentConfig config;
    private final Map<String, String> env;

    public StatusLook(AgentConfig config, Map<String, String> env) {
        this.config = config;
        this.env = Map.copyOf(env);
    }

    /** @param events how many failover events to show (0: none) */
    public StatusReport look(int events) {
        String self = config.requireNode().name();
        NodeConnector connector = NodeConnector.of(config.requireDatabase(), "pgflip-status");
        ClusterProbe.Look look = new ClusterProbe(connector, config.requireFlip().ip()).look();
        FlipView flip = new FlipProbe(config, env).look(look.replies().stream().map(NodeReply::node).toList());
        EventTail.Tail tail = config.events().map(e -> EventTail.read(e.logFile(), events))
                .orElse(new EventTail.Tail(java.util.List.of(), "no events section in the agent's config"));
        Fenced fenced = localFence();
        return StatusReport.of(ClusterAssembly.assemble(self, look, fenced.state(), fenced.known(),
                config.replication().map(ReplicationConfig::synchronousStandbyNames), flip, tail));
    }

    private record Fenced(Optional<FenceState> state, boolean known) {}

    /** This node's fence record, when it has a fencing section and the file can be read (by postgres, its owner). */
    private Fenced localFence() {
        if (config.fencing().isEmpty()) {
            return new Fenced(Optional.empty(), false);
        }
        try {
            return new Fenced(new FenceRecord(config.fencing().get().stateFile()).read(), true);
        } catch (RuntimeException e) {
            return new Fenced(Optional.empty(), false);
        }
    }
}
