package dev.pgflip.agent.promote;

import dev.pgflip.agent.config.AgentConfig;
import dev.pgflip.agent.config.AgentConfigLoader;
import dev.pgflip.agent.config.ConfigPurpose;
import dev.pgflip.agent.config.PromoteConfig;
import dev.pgflip.agent.process.ProcessRunner;
import dev.pgflip.agent.provider.FlipProviders;
import dev.pgflip.agent.provider.NodeIdentity;
import dev.pgflip.agent.time.Deadline;
import dev.pgflip.agent.time.Sleeper;
import dev.pgflip.agent.event.PromoteTimeline;
import java.nio.file.Path;
import java.time.Instant;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires {@code pgflip promote}: load and check everything (config, token, droplet id) before promoting, so a
 * misconfigured node fails in milliseconds with exit 2 instead of becoming a primary nobody can reach.
 */
public final class PromoteHook {
    private static final Logger log = LoggerFactory.getLogger(PromoteHook.class);

    private PromoteHook() {}

    public static PromoteReport run(Path configFile, boolean skipPromote, Map<String, String> env) {
        AgentConfig config = AgentConfigLoader.load(configFile, skipPromote ? ConfigPurpose.FLIP_ONLY : ConfigPurpose.PROMOTE);
        PromoteTimeline timeline = config.events()
                .map(e -> PromoteTimeline.to(e.logFile(), config.node().map(n -> n.name()).orElse(null)))
                .orElse(PromoteTimeline.NONE);
        // The JVM's own start is when repmgrd called us: start-up is part of the failover's critical path.
        timeline.mark("pgflip_promote_started", ProcessHandle.current().info().startInstant().orElse(Instant.now()),
                Map.of("skip_promote", skipPromote));
        Duration budget = config.promote().map(PromoteConfig::deadline).orElse(PromoteConfig.DEFAULT_DEADLINE);
        Deadline deadline = Deadline.after(budget);
        FlipProviders.checkCredentials(config, env);
        // Resolved once the promotion runs (a metadata call and an HTTP client cost a few hundred ms on a cold JVM).
        java.util.function.Function<Deadline, FlipTarget> target = d -> {
            NodeIdentity self = FlipProviders.self(config, d);
            return new FlipTarget(self, FlipProviders.create(config, self, env));
        };
        PromoteOrchestrator orchestrator = new PromoteOrchestrator(config.requireNode().name(), target,
                new ProcessRunner(), Sleeper.SYSTEM, timeline);
        PromoteReport report;
        if (skipPromote) {
            report = orchestrator.flipOnly(deadline);
        } else {
            try (NodeRoleProbe probe = new JdbcNodeRoleProbe(config.requireDatabase())) {
                report = orchestrator.promoteAndFlip(config.requirePromote().command(), probe, deadline);
            }
        }
        log.info("promote done: {} flip={} writable_after={} total={}ms", report.flip().target(), config.requireFlip().ip(),
                report.nodeWritableAfter().map(d -> d.toMillis() + "ms").orElse("skipped"), report.total().toMillis());
        timeline.mark("pgflip_promote_done", Instant.now(), Map.of("total_ms", report.total().toMillis()));
        return report;
    }
}
