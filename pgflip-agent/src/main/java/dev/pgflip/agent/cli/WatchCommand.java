package dev.pgflip.agent.cli;

import dev.pgflip.agent.ExitCode;
import dev.pgflip.agent.PgflipException;
import dev.pgflip.agent.config.DurationText;
import dev.pgflip.agent.config.AgentConfig;
import dev.pgflip.agent.config.AgentConfigLoader;
import dev.pgflip.agent.config.ConfigPurpose;
import dev.pgflip.agent.db.JdbcProperties;
import dev.pgflip.agent.event.PromoteTimeline;
import dev.pgflip.agent.promote.FlipTarget;
import dev.pgflip.agent.promote.JdbcNodeRoleProbe;
import dev.pgflip.agent.provider.FlipException;
import dev.pgflip.agent.provider.FlipProviders;
import dev.pgflip.agent.provider.FlipStatus;
import dev.pgflip.agent.provider.NodeIdentity;
import dev.pgflip.agent.time.Deadline;
import dev.pgflip.agent.watch.FlipWatcher;
import dev.pgflip.agent.watch.JdbcPrimaryGuard;
import dev.pgflip.agent.watch.JdbcPrimarySettings;
import dev.pgflip.agent.watch.SynchronousReplicationKeeper;
import dev.pgflip.agent.watch.WatchLog;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code pgflip watch}: the reconciliation daemon, in the foreground (systemd-style). */
@Command(name = "watch", mixinStandardHelpOptions = true,
        description = {
            "Keep the floating IP on this node while it is the primary (a foreground daemon; run one per node).",
            "",
            "Reads the local role (SELECT pg_is_in_recovery()) every --interval. The moment this node turns primary it",
            "moves the IP at once (a warm process: no JVM start on the failover's critical path); while it stays",
            "primary it compares the IP's assignment with the API every --reconcile and moves it back if it points",
            "elsewhere, unless another node is primary on a timeline at least as new (a node back from a partition",
            "must not take the IP back). Standbys call the API once, at start: a wrong token, CA or flip.ip stops the",
            "daemon there, not at the failover. Logs one JSON line per state change on stdout.",
            "",
            "With a 'replication' section it also keeps synchronous replication honest on the primary: the configured",
            "synchronous_standby_names while a standby streams, '' when none has for replication.degrade_after (at once",
            "after a promotion), so an acknowledged commit is on two nodes and writes never block forever.",
            "",
            "systemd: ExecStart=/usr/local/bin/pgflip watch --config /etc/pgflip/pgflip.yaml  (User=postgres)"
        })
final class WatchCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Option(names = "--interval", defaultValue = "100ms", description = "Role check period (default: ${DEFAULT-VALUE})")
    String interval;

    @Option(names = "--reconcile", defaultValue = "5s",
            description = "API check period while primary (default: ${DEFAULT-VALUE})")
    String reconcile;

    @Override
    public Integer call() throws InterruptedException {
        AgentConfig cfg = AgentConfigLoader.load(config.file, ConfigPurpose.WATCH);
        Duration every = duration("--interval", interval);
        Duration reconcileEvery = duration("--reconcile", reconcile);
        Map<String, String> env = Environment.current();
        FlipProviders.checkCredentials(cfg, env);
        String node = cfg.requireNode().name();
        NodeIdentity self = FlipProviders.self(cfg, Deadline.after(Duration.ofSeconds(30)));
        FlipTarget target = new FlipTarget(self, FlipProviders.create(cfg, self, env));
        PromoteTimeline events = cfg.events().map(e -> PromoteTimeline.to(e.logFile(), node)).orElse(PromoteTimeline.NONE);
        WatchLog log = new WatchLog(System.out, node, events);
        Map<String, Object> flip = firstLook(target, log);
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown, "pgflip-watch-shutdown"));
        var credentials = JdbcProperties.of(cfg.requireDatabase(), "pgflip-watch");
        try (JdbcNodeRoleProbe probe = new JdbcNodeRoleProbe(cfg.requireDatabase(), "pgflip-watch");
             JdbcPrimarySettings settings = new JdbcPrimarySettings(cfg.requireDatabase(), credentials)) {
            var keeper = cfg.replication().map(r -> new SynchronousReplicationKeeper(r, settings, log));
            FlipWatcher watcher = new FlipWatcher(node, probe, target,
                    new JdbcPrimaryGuard(cfg.requireDatabase(), credentials),
                    log, reconcileEvery, Duration.ofSeconds(20), System::nanoTime, keeper);
            Map<String, Object> started = new java.util.LinkedHashMap<>(Map.of("interval_ms", every.toMillis(),
                    "reconcile_ms", reconcileEvery.toMillis(),
                    "droplet_id", self.dropletId().isPresent() ? self.dropletId().getAsLong() : -1));
            started.putAll(flip);
            log.record("started", started);
            while (!stop.await(every.toMillis(), TimeUnit.MILLISECONDS)) {
                watcher.tick();
            }
        }
        return ExitCode.OK.code();
    }

    /**
     * One look at the floating IP before the first tick. A wrong token, CA certificate or flip.ip stops the daemon now
     * (exit 4, 2 or 3) instead of showing up at the failover; and the process's first API request, which costs
     * 0.7-1.7 s over TLS on the 2-core lab (class loading and the first handshake, measured; 0.3-1.4 s over plain
     * HTTP), is paid here rather than on the failover's critical path. An API that is merely unreachable now is
     * logged, not fatal: the daemon must still be there when it comes back.
     */
    private static Map<String, Object> firstLook(FlipTarget target, WatchLog log) {
        try {
            FlipStatus status = target.provider().status();
            return Map.of("flip_droplet_id", status.dropletId().isPresent() ? status.dropletId().getAsLong() : -1);
        } catch (FlipException e) {
            if (e.needsConfigurationFix()) {
                throw e;
            }
            log.record("flip_unreadable", Map.of("error", String.valueOf(e.getMessage())));
            return Map.of();
        }
    }

    private static Duration duration(String option, String text) {
        return DurationText.parse(text).filter(d -> !d.isZero()).orElseThrow(() -> new PgflipException(ExitCode.USAGE,
                option + " \"" + text + "\" is not a duration like 100ms, 5s or 1m"));
    }
}
