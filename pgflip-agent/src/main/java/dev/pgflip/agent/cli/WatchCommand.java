package dev.pgflip.agent.cli;

import dev.pgflip.agent.ExitCode;
import dev.pgflip.agent.PgflipException;
import dev.pgflip.agent.config.AgentConfig;
import dev.pgflip.agent.config.AgentConfigLoader;
import dev.pgflip.agent.config.ConfigPurpose;
import dev.pgflip.agent.db.NodeConnector;
import dev.pgflip.agent.digitalocean.CertificateRejectedException;
import dev.pgflip.agent.digitalocean.TokenRejectedException;
import dev.pgflip.agent.digitalocean.TokenScopeException;
import dev.pgflip.agent.event.PromoteTimeline;
import dev.pgflip.agent.fence.FencingSetup;
import dev.pgflip.agent.metrics.WatchMetrics;
import dev.pgflip.agent.promote.FlipTarget;
import dev.pgflip.agent.promote.JdbcNodeRoleProbe;
import dev.pgflip.agent.provider.FlipException;
import dev.pgflip.agent.provider.FlipProviders;
import dev.pgflip.agent.provider.NodeIdentity;
import dev.pgflip.agent.repmgr.RepmgrConf;
import dev.pgflip.agent.repmgrd.JdbcRepmgrdNotice;
import dev.pgflip.agent.repmgrd.LocalRepmgrdSight;
import dev.pgflip.agent.repmgrd.RecordingRepmgrdSight;
import dev.pgflip.agent.repmgrd.RepmgrdSight;
import dev.pgflip.agent.process.ProcessRunner;
import dev.pgflip.agent.repmgrd.LocalRepmgrdPid;
import dev.pgflip.agent.repmgrd.LocalWalStream;
import dev.pgflip.agent.repmgrd.ProcessHangUp;
import dev.pgflip.agent.repmgrd.RepmgrdWakeUp;
import dev.pgflip.agent.repmgrd.NetAdminCapability;
import dev.pgflip.agent.repmgrd.SsProcessSockets;
import dev.pgflip.agent.repmgrd.StalledWaitRelease;
import dev.pgflip.agent.repmgrd.StuckRequestRelease;
import dev.pgflip.agent.repmgrd.StalledWaitRule;
import dev.pgflip.agent.follow.JdbcUpstreamProbe;
import dev.pgflip.agent.db.KeptConnection;
import dev.pgflip.agent.db.RepmgrNodes;
import dev.pgflip.agent.status.WatchPresence;
import dev.pgflip.agent.time.Deadline;
import dev.pgflip.agent.watch.FlipWatcher;
import dev.pgflip.agent.watch.JdbcClusterFacts;
import dev.pgflip.agent.watch.JdbcPrimarySettings;
import dev.pgflip.agent.watch.JdbcPromotionLedger;
import dev.pgflip.agent.watch.RecordingPrimarySettings;
import dev.pgflip.agent.watch.RecordingPromotionLedger;
import dev.pgflip.agent.watch.PeriodicLook;
import dev.pgflip.agent.watch.SynchronousReplicationKeeper;
import dev.pgflip.agent.node.WatchLog;
import dev.pgflip.agent.node.WatchRecorder;
import dev.pgflip.common.DurationText;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code pgflip watch}: the reconciliation daemon, in the foreground (systemd-style). */
@Command(name = "watch", mixinStandardHelpOptions = true,
        description = {
            "Keep the floating IP on this node while it is the primary.",
            "A foreground daemon: run one per node.",
            "",
            "Reads the local role (SELECT pg_is_in_recovery()) every --interval. The moment",
            "this node turns primary it moves the IP at once (a warm process: no JVM start on",
            "the failover's critical path); while it stays primary it judges, every",
            "--reconcile, whether it is provably the only primary: every active data peer",
            "streams from it or is held ineligible for promotion on the witness. Then it",
            "moves the IP back if it points elsewhere; outranked (a peer primary on a",
            "timeline at least as new, the witness's repmgr records holding this node as",
            "failed, or a promotion claimed or recorded on the witness) it refuses the IP and",
            "fences the node; unproven it withholds the IP and says why. Standbys call the",
            "API once, at start: a wrong token, CA or flip.ip stops the daemon there, not at",
            "the failover. Logs one JSON line per state change on stdout.",
            "",
            "With a 'replication' section it also keeps synchronous replication honest on the",
            "primary, on a thread of its own every --interval: the configured",
            "synchronous_standby_names while a standby the setting names streams",
            "(pg_receivewal or a logical consumer does not count); '' when none has for",
            "replication.degrade_after (at once after a promotion), but only after marking",
            "the standbys ineligible for promotion on the witness (pgflip.promotion; the",
            "promote wrapper must claim a promotion there first). No mark, no degrade:",
            "commits keep waiting rather than be acknowledged on one node that a promoted",
            "standby would lack.",
            "",
            "With a 'fencing' section it guards against split brain on the primary (repmgr",
            "does not fence):",
            "  - cut off from every peer (standby, witness: a TCP connect every",
            "    fencing.probe_interval, every 50 ms while none answers) for longer than",
            "    fencing.isolation_timeout, while some standby could be promoted in its",
            "    place, it fences the node; 'auto' derives the bound from repmgr.conf",
            "    (reconnect_attempts, reconnect_interval, connect_timeout,",
            "    tcp_user_timeout); lifted (pg_promote) once it is provably the only",
            "    primary;",
            "  - with fencing.probe_port (the same on every data node), it accepts its",
            "    peers' probes on that port and probes the data peers there first: no",
            "    PostgreSQL backend forked per probe; PostgreSQL's port when that one does",
            "    not answer, the witness only when no data peer does;",
            "  - outranked, it fences the node for good, until 'pgflip rejoin'.",
            "  The fence restarts PostgreSQL in recovery (standby.signal, immediate stop,",
            "  service_start_command): no session can write there, reads go on. The reason",
            "  and timeline are kept in fencing.state_file; a fenced node never takes the",
            "  floating IP.",
            "",
            "On a standby it releases repmgrd from an election wait it cannot leave in time:",
            "when repmgrd (running) has not seen its upstream for 3 x monitor_interval_secs",
            "+ 2 s (at least 5 s), and that much longer again, while this node streams from",
            "it and it answers as a writable primary (after a partial partition healed),",
            "repmgrd is told to follow it again (repmgr.notify_follow_primary), as repmgrd",
            "does when a primary reappears; else a primary dying within",
            "primary_notification_timeout gets no failover. Logged as repmgrd_released. A",
            "notice repmgrd loops past unread is withdrawn (repmgrd_release_withdrawn): left",
            "there, the next election would read it at once. So is any notice naming this",
            "node's own upstream that stays unread that long while repmgrd sees the upstream",
            "(repmgr leaves one after a sibling's aborted election):",
            "repmgrd_stale_notice_withdrawn (docs/operations.md, Two standbys).",
            "",
            "Also on a standby: when repmgrd has not seen its upstream for that bound and a",
            "request it sent on one of its sessions has had no answer for as long (a",
            "frozen primary: its kernel acknowledges, nothing answers, no TCP timer fires;",
            "a connection still starting is left to libpq's connect_timeout),",
            "that connection is ended under it (ss -K), so its query fails and its failover",
            "can start; repmgrd asks its primary with no timeout. Logged as",
            "repmgrd_unblocked; needs CAP_NET_ADMIN (the package's unit grants it as an",
            "ambient capability), else repmgrd_unblock_failed says so.",
            "",
            "And on a standby, every --interval: when it loses its primary (its WAL stream",
            "ended: a killed primary; or, with a 'fencing' section, the node it streams from",
            "answered no probe for 1.5 x fencing.probe_interval: a link down), repmgrd gets",
            "SIGHUP, its reload signal, which ends its monitor_interval_secs sleep: it checks",
            "its upstream now, with its own checks and election (repmgrd_woken; once per",
            "loss). Only with reconnect_attempts of 1 or less in repmgr.conf: with more, a",
            "signal could cut a reconnect_interval sleep short and promote before the",
            "primary's isolation fence (the started line's repmgrd_wake says on, or off and",
            "why).",
            "",
            "With a 'metrics' section it serves Prometheus metrics on metrics.listen",
            "(GET /metrics, e.g. 127.0.0.1:9187): role, floating IP held, fence,",
            "synchronous state, age of the last look, API requests, promotions, and",
            "on a standby its repmgrd (running, time since it saw its upstream,",
            "connections ended under it) (docs/operations.md, Metrics). A port in use",
            "stops the daemon at start; without the section no port is opened.",
            "",
            "systemd (User=postgres):",
            "  ExecStart=/usr/bin/pgflip watch --config /etc/pgflip/agent.yaml"
        })
final class WatchCommand implements Callable<Integer> {
    /**
     * One assign (status, the action, its polls, the check): the api-slow drill's 8 s per call needed about 32 s, and
     * 20 s never completed. The keeper and the fence have threads of their own, so nothing else waits on it.
     */
    private static final Duration ASSIGN_BUDGET = Duration.ofSeconds(60);
    private static final Duration RELEASE_PERIOD = Duration.ofSeconds(1);
    private static final int REPMGR_DEFAULT_MONITOR_INTERVAL = 2;

    @Mixin
    ConfigOption config;

    @Option(names = "--interval", paramLabel = "DURATION", defaultValue = "100ms",
            description = "Role check period (default: ${DEFAULT-VALUE}); durations: " + DurationText.FORMS + ".")
    String interval;

    @Option(names = "--reconcile", paramLabel = "DURATION", defaultValue = "5s",
            description = "API check period while primary (default: ${DEFAULT-VALUE}), a duration like --interval's.")
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
        WatchMetrics metrics = WatchMetrics.of(cfg.metrics(), System::nanoTime);
        WatchRecorder recorder = metrics.recorder();
        FlipTarget target = new FlipTarget(self, FlipProviders.create(cfg, self, env, metrics.apiCalls()));
        PromoteTimeline events = cfg.events().map(e -> PromoteTimeline.to(e.logFile(), node)).orElse(PromoteTimeline.NONE);
        WatchLog log = new WatchLog(System.out, node, events);
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown, "pgflip-watch-shutdown"));
        NodeConnector connector = NodeConnector.of(cfg.requireDatabase(), "pgflip-watch");
        RepmgrConf repmgrConf = repmgrConf(cfg);
        JdbcClusterFacts guard = new JdbcClusterFacts(connector, node);
        JdbcPromotionLedger ledger = new JdbcPromotionLedger(connector, node);
        // Its own application_name: pgflip status tells from any node that this node's watch is alive by it.
        try (WatchMetrics served = metrics.serve();
             JdbcNodeRoleProbe probe = new JdbcNodeRoleProbe(cfg.requireDatabase(), WatchPresence.applicationName(node));
             JdbcPrimarySettings settings = new JdbcPrimarySettings(connector);
             FencingSetup fencing = FencingSetup.start(cfg, repmgrConf, connector, guard, log, recorder);
             OptionalLook keeping = new OptionalLook(cfg.replication().map(r -> {
                 SynchronousReplicationKeeper keeper = new SynchronousReplicationKeeper(r,
                         new RecordingPrimarySettings(settings, recorder), new RecordingPromotionLedger(ledger, recorder),
                         log, guard::standing);
                 return new PeriodicLook("pgflip-sync-keeper", () -> keeper.tick(System.nanoTime()), log, "sync_error")
                         .start(every);
             }));
             KeptConnection releaseConnection = connector.keepLocal();
             PeriodicLook release = new PeriodicLook("pgflip-repmgrd-release",
                     repmgrdReleases(connector, releaseConnection, node, repmgrConf, log, recorder), log,
                     "repmgrd_release_error").start(RELEASE_PERIOD);
             KeptConnection wakeConnection = connector.keepLocal();
             OptionalLook waking = repmgrdWaking(repmgrConf, wakeConnection, fencing, log, recorder, every)) {
            FlipWatcher watcher = new FlipWatcher(node, probe, target, guard,
                    log, reconcileEvery, ASSIGN_BUDGET, System::nanoTime, fencing.selfFencing(), recorder);
            Map<String, Object> started = new java.util.LinkedHashMap<>();
            started.put("interval_ms", every.toMillis());
            started.put("reconcile_ms", reconcileEvery.toMillis());
            started.put("droplet_id", self.dropletId().isPresent() ? self.dropletId().getAsLong() : -1);
            metrics.url().ifPresent(url -> started.put("metrics", url));
            NetAdminCapability.ofThisProcess().ifPresent(can -> started.put("can_end_repmgrd_connections", can));
            started.put("repmgrd_wake", RepmgrdWakeUp.whyNot(repmgrConf).map(why -> "off: " + why).orElse("on"));
            cfg.fencing().ifPresent(f -> {
                started.put("isolation_timeout_ms", f.isolationTimeout().toMillis());
                started.put("earliest_promotion_ms", f.earliestPromotion().toMillis());
            });
            log.record("started", started);
            warmUp(target, log);
            while (!stop.await(every.toMillis(), TimeUnit.MILLISECONDS)) {
                watcher.tick();
            }
        }
        return ExitCode.OK.code();
    }

    /**
     * One status call at start: it loads the provider's classes and opens its HTTP connection, which otherwise happens
     * on the first assign, at the promotion (measured: the watcher's assign started 0.7 s after the node was writable
     * in the first failovers of a drill, 35-70 ms in the later ones; over TLS the first request costs 0.7-1.7 s on the
     * loaded 2-core lab). A token, CA certificate or flip.ip the API refuses stops the daemon here (exit 4, 2 or 3)
     * rather than at the failover; an API that is merely unreachable now is logged: the daemon must be there when it
     * comes back.
     */
    private static void warmUp(FlipTarget target, WatchLog log) {
        try {
            var status = target.provider().status();
            log.record("provider_ready", Map.of("flip_droplet_id",
                    status.dropletId().isPresent() ? status.dropletId().getAsLong() : -1));
        } catch (RuntimeException e) {
            if (needsOperator(e)) {
                throw e;
            }
            log.record("flip_error", Map.of("error", String.valueOf(e.getMessage())));
        }
    }

    private static boolean needsOperator(RuntimeException e) {
        return e instanceof TokenRejectedException || e instanceof TokenScopeException
                || e instanceof CertificateRejectedException
                || e instanceof FlipException && ((FlipException) e).needsConfigurationFix();
    }

    /**
     * This node's repmgr.conf (fencing's, else rejoin's): the fence restarts PostgreSQL with its data_directory and
     * service_start_command.
     */
    private static RepmgrConf repmgrConf(AgentConfig cfg) {
        var file = cfg.fencing().map(f -> f.repmgrConf()).or(() -> cfg.rejoin().map(r -> r.repmgrConf()));
        if (file.isEmpty()) {
            return RepmgrConf.parse("", java.nio.file.Path.of("(no repmgr.conf configured)"));
        }
        try {
            return RepmgrConf.read(file.get());
        } catch (java.io.IOException e) {
            throw new PgflipException(ExitCode.USAGE, "cannot read " + file.get() + ": " + e.getMessage()
                    + " (fencing.repmgr_conf / rejoin.repmgr_conf must name this node's repmgr.conf)");
        }
    }

    /** A look's thread when the config or repmgr.conf asks for it; closed with the watcher. */
    private record OptionalLook(Optional<PeriodicLook> look) implements AutoCloseable {
        @Override
        public void close() {
            look.ifPresent(PeriodicLook::close);
        }
    }

    /**
     * On a standby, every --interval: repmgrd is woken when the primary is lost ({@link RepmgrdWakeUp}); no thread when
     * repmgr.conf makes that unsafe (the started line says why).
     */
    private static OptionalLook repmgrdWaking(RepmgrConf repmgrConf, KeptConnection local, FencingSetup fencing,
            WatchLog log, WatchRecorder recorder, Duration every) {
        if (RepmgrdWakeUp.whyNot(repmgrConf).isPresent()) {
            return new OptionalLook(Optional.empty());
        }
        Predicate<String> upstreamSilent = fencing.upstreamSilence().map(s -> (Predicate<String>) s).orElse(host -> false);
        ProcessHangUp hangUp = new ProcessHangUp(new ProcessRunner());
        RepmgrdWakeUp wakeUp = new RepmgrdWakeUp(new LocalWalStream(local), upstreamSilent, new LocalRepmgrdPid(local),
                hangUp::hangUp, log, recorder);
        return new OptionalLook(Optional.of(new PeriodicLook("pgflip-repmgrd-wake", wakeUp::tick, log,
                "repmgrd_wake_error").start(every)));
    }

    /**
     * Each second on a standby: a repmgrd stuck in an election's wait is told to follow its upstream again
     * ({@link StalledWaitRelease}), then one stuck on a request a frozen peer never answers gets that connection ended
     * ({@link StuckRequestRelease}). Stale after 3 of repmgr.conf's monitor loops (repmgr's default of 2 s when the file
     * does not say).
     */
    private static PeriodicLook.Look repmgrdReleases(NodeConnector connector, KeptConnection local, String node,
            RepmgrConf repmgrConf, WatchLog log, WatchRecorder recorder) {
        int monitorInterval = repmgrConf.value("monitor_interval_secs").map(String::strip)
                .filter(v -> v.matches("\\d{1,4}")).map(Integer::parseInt).orElse(REPMGR_DEFAULT_MONITOR_INTERVAL);
        Duration staleAfter = StalledWaitRule.staleAfter(monitorInterval);
        RecordingRepmgrdSight sight = new RecordingRepmgrdSight(new LocalRepmgrdSight(local, node), recorder);
        // One read of repmgrd's state a look, which both releases judge (and the metrics record once).
        AtomicReference<RepmgrdSight> thisLook = new AtomicReference<>();
        StalledWaitRelease waitRelease = new StalledWaitRelease(thisLook::get, () -> {
            try (var c = connector.connectLocal()) {
                return RepmgrNodes.read(c);
            }
        }, new JdbcUpstreamProbe(connector), new JdbcRepmgrdNotice(local), log, staleAfter, System::nanoTime);
        StuckRequestRelease requestRelease = new StuckRequestRelease(thisLook::get, new LocalRepmgrdPid(local),
                new SsProcessSockets(new ProcessRunner()), log, recorder, staleAfter);
        return () -> {
            thisLook.set(sight.get());
            try {
                waitRelease.tick();
            } finally {
                requestRelease.tick(); // a failed look at the election's wait must not leave a stuck query alone
            }
        };
    }

    /** An option's duration in pgflip-common's grammar, longer than 0; else a usage error naming the option. */
    static Duration duration(String option, String text) {
        Duration d;
        try {
            d = DurationText.parse(option, text);
        } catch (IllegalArgumentException e) {
            throw new PgflipException(ExitCode.USAGE, e.getMessage());
        }
        if (d.isZero()) {
            throw new PgflipException(ExitCode.USAGE, option + " \"" + text + "\" must be longer than 0");
        }
        return d;
    }
}
