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
        return run(configFile, skipPromote ? Mode.FLIP_ONLY : Mode.PROMOTE, env);
    }

    /** What the hook does before moving the IP. */
    public enum Mode {
        /** run promote.command, move the IP the moment the node answers as primary */
        PROMOTE,
        /** the caller promoted already: confirm the node answers as primary, then move the IP */
        ALREADY_PROMOTED,
        /** only move the IP */
        FLIP_ONLY
    }

    public static PromoteReport run(Path configFile, Mode mode, Map<String, String> env) {
        boolean skipPromote = mode == Mode.FLIP_ONLY;
        AgentConfig config = AgentConfigLoader.load(configFile, switch (mode) {
            case PROMOTE -> ConfigPurpose.PROMOTE;
            case ALREADY_PROMOTED -> ConfigPurpose.WATCH;
            case FLIP_ONLY -> ConfigPurpose.FLIP_ONLY;
        });
        PromoteTimeline timeline = config.events()
                .map(e -> PromoteTimeline.to(e.logFile(), config.node().map(n -> n.name()).orElse(null)))
                .orElse(PromoteTimeline.NONE);
        // When repmgrd called us: a wrapper's own record of it, else the JVM's start (start-up is on the critical path).
        Instant jvmStart = ProcessHandle.current().info().startInstant().orElse(Instant.now());
        timeline.mark("pgflip_promote_started", dev.pgflip.agent.event.EventRecorder.calledAt(env, jvmStart),
                Map.of("mode", mode.name().toLowerCase(java.util.Locale.ROOT)));
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
        try {
            if (skipPromote) {
                report = orchestrator.flipOnly(deadline);
            } else {
                try (NodeRoleProbe probe = new JdbcNodeRoleProbe(config.requireDatabase())) {
                    report = mode == Mode.ALREADY_PROMOTED ? orchestrator.confirmAndFlip(probe, deadline)
                            : orchestrator.promoteAndFlip(config.requirePromote().command(), probe, deadline);
                }
            }
        } catch (RuntimeException e) {
            // The exit status reaches repmgrd alone; the events file is where an operator or a drill reads the failover.
            timeline.mark("pgflip_promote_failed", Instant.now(), Map.of("success", false,
                    "error", String.valueOf(e.getMessage())));
            throw e;
        }
        log.info("promote done: {} flip={} writable_after={} total={}ms", report.flip().target(), config.requireFlip().ip(),
                report.nodeWritableAfter().map(d -> d.toMillis() + "ms").orElse("skipped"), report.total().toMillis());
        timeline.mark("pgflip_promote_done", Instant.now(), Map.of("total_ms", report.total().toMillis()));
        return report;
    }
}
