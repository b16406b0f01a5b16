package dev.pgflip.agent.promote;

import dev.pgflip.agent.config.AgentConfig;
import dev.pgflip.agent.config.AgentConfigLoader;
import dev.pgflip.agent.config.ConfigPurpose;
import dev.pgflip.agent.config.DatabaseConfig;
import dev.pgflip.agent.config.PromoteConfig;
import dev.pgflip.agent.event.EventRecorder;
import dev.pgflip.agent.event.PromoteTimeline;
import dev.pgflip.agent.process.ProcessRunner;
import dev.pgflip.agent.provider.FlipProviders;
import dev.pgflip.agent.provider.NodeIdentity;
import dev.pgflip.agent.time.Deadline;
import dev.pgflip.agent.time.Sleeper;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires {@code pgflip promote}: load and check everything (config, token, droplet id) before promoting, so a
 * misconfigured node fails in milliseconds with exit 2 instead of becoming a primary nobody can reach. Once the node
 * answers as primary the hook returns normally (exit 0) even if the IP could not be moved: see {@link FlipDeferral}.
 */
public final class PromoteHook {
    private static final Logger log = LoggerFactory.getLogger(PromoteHook.class);

    private PromoteHook() {}

    /** @param skipPromote only move the IP ({@link Mode#FLIP_ONLY}), else {@link Mode#PROMOTE} */
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
        return run(configFile, mode, env, JdbcNodeRoleProbe::new);
    }

    /** @param probes opens the role probe on the local node (a fake in tests, which have no PostgreSQL) */
    static PromoteReport run(Path configFile, Mode mode, Map<String, String> env,
            Function<DatabaseConfig, NodeRoleProbe> probes) {
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
        timeline.mark("pgflip_promote_started", EventRecorder.calledAt(env, jvmStart),
                Map.of("mode", mode.name().toLowerCase(Locale.ROOT)));
        Duration budget = config.promote().map(PromoteConfig::deadline).orElse(PromoteConfig.DEFAULT_DEADLINE);
        Deadline deadline = Deadline.after(budget);
        if (mode != Mode.ALREADY_PROMOTED) {
            // Before promoting: a node nobody can move the IP to had better stay a standby. After a promotion (the
            // wrapper's) failing here would only tell repmgr a lie; a bad token is then reported as a deferred move.
            FlipProviders.checkCredentials(config, env);
        }
        // Resolved once the promotion runs (a metadata call and an HTTP client cost a few hundred ms on a cold JVM).
        Function<Deadline, FlipTarget> target = d -> {
            NodeIdentity self = FlipProviders.self(config, d);
            return new FlipTarget(self, FlipProviders.create(config, self, env));
        };
        FlipByHand byHand = new FlipByHand(config.requireFlip().ip(), configFile.toString());
        PromoteOrchestrator orchestrator = new PromoteOrchestrator(config.requireNode().name(), target,
                new ProcessRunner(), Sleeper.SYSTEM, timeline, byHand);
        PromoteReport report;
        try {
            if (mode == Mode.FLIP_ONLY) {
                report = orchestrator.flipOnly(deadline);
            } else {
                try (NodeRoleProbe probe = probes.apply(config.requireDatabase())) {
                    report = mode == Mode.ALREADY_PROMOTED
                            ? orchestrator.confirmAndFlip(probe, deadline,
                                    EventRecorder.epochMillis(env, EventRecorder.WRITABLE_AT_ENV))
                            : orchestrator.promoteAndFlip(config.requirePromote().command(), probe, deadline);
                }
            }
        } catch (RuntimeException e) {
            // The exit status reaches repmgrd alone; the events file is where an operator or a drill reads the failover.
            timeline.mark("pgflip_promote_failed", Instant.now(), Map.of("success", false,
                    "error", String.valueOf(e.getMessage())));
            throw e;
        }
        String writableAfter = report.nodeWritableAfter().map(d -> d.toMillis() + "ms").orElse("skipped");
        Optional<FlipDeferral> deferred = report.deferral();
        if (deferred.isPresent()) {
            log.info("promote done: node={} role=primary flip={} not moved ({}) writable_after={} total={}ms",
                    config.requireNode().name(), byHand.ip(), deferred.get().kind().key(), writableAfter,
                    report.total().toMillis());
        } else {
            log.info("promote done: {} flip={} writable_after={} total={}ms", report.flip().target(), byHand.ip(),
                    writableAfter, report.total().toMillis());
        }
        timeline.mark("pgflip_promote_done", Instant.now(), Map.of("total_ms", report.total().toMillis(),
                "flip_moved", deferred.isEmpty()));
        return report;
    }
}
