package dev.pgflip.agent.doctor;

import dev.pgflip.agent.config.AgentConfig;
import dev.pgflip.agent.config.AgentConfigLoader;
import dev.pgflip.agent.config.ConfigException;
import dev.pgflip.agent.config.ConfigPurpose;
import dev.pgflip.agent.config.ProviderKind;
import dev.pgflip.agent.digitalocean.DigitalOceanClient;
import dev.pgflip.agent.digitalocean.FloatingIp;
import dev.pgflip.agent.repmgr.RepmgrConf;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;

/**
 * {@code pgflip doctor}: checks, on a database node, everything a failover will need (repmgr's configuration and
 * daemon, PostgreSQL's settings, the DigitalOcean token and its write scope, droplet and floating IP) and explains each
 * problem with its fix. It changes nothing (the write scope is proven by an action the API refuses). A check that cannot run because an earlier one failed is reported as skipped, so one cause gives one failure.
 *
 * <pre>{@code
 * DoctorReport report = new Doctor(Path.of("/etc/pgflip/agent.yaml"), Optional.empty(), System.getenv()).examine();
 * System.exit(report.exitCode());
 * }</pre>
 */
public final class Doctor {
    private static final List<String> API_CHECKS = List.of("token", "token_accepted", "droplet_id", "flip_region", "flip_holder",
            TokenWriteScopeCheck.CHECK);

    private final Path configFile;
    private final Optional<Path> repmgrConfFile;
    private final Map<String, String> env;

    /**
     * @param repmgrConfFile repmgr.conf when given; else rejoin.repmgr_conf from the agent config, else /etc/repmgr.conf
     * @param env the process environment (DIGITALOCEAN_ACCESS_TOKEN, PATH)
     */
    public Doctor(Path configFile, Optional<Path> repmgrConfFile, Map<String, String> env) {
        this.configFile = configFile;
        this.repmgrConfFile = repmgrConfFile;
        this.env = Map.copyOf(env);
    }

    public DoctorReport examine() {
        DoctorReport report = new DoctorReport();
        Optional<AgentConfig> config = agentConfig(report);
        Optional<RepmgrConf> repmgr = guarded(report, "repmgr_conf", Optional.empty(),
                () -> new RepmgrConfChecks(repmgrConfFile, config, configFile, env).run(report));
        if (config.isEmpty()) {
            guarded(report, "node_files", () -> new NodeFilesChecks(Path.of("/"), repmgr, config, false).run(report));
            report.add(CheckResult.skipped("postgres", "PostgreSQL, repmgrd and DigitalOcean checks skipped: no usable agent config"));
            report.add(ClientTimeoutsAdvice.advice());
            return report;
        }
        AgentConfig cfg = config.get();
        LocalNodeChecks.Outcome local = guarded(report, "postgres", new LocalNodeChecks.Outcome(Optional.empty(), Optional.empty()),
                () -> new LocalNodeChecks(cfg.requireDatabase(), configFile).run(report));
        boolean witness = local.cluster().flatMap(ClusterView::local)
                .map(m -> m.type().equals(ClusterMember.WITNESS)).orElse(false);
        guarded(report, "node_files", () -> new NodeFilesChecks(Path.of("/"), repmgr, config, witness).run(report));
        try {
            guarded(report, "repmgrd", () -> new RepmgrdCheck(local.node(), repmgr).run(report));
            guarded(report, "settings",
                    () -> new FailoverSettingsCheck(local.node(), local.cluster(), repmgr, cfg, configFile).run(report));
        } finally {
            local.node().ifPresent(LocalNode::close);
        }
        // Only where this node's PostgreSQL answers: the same credentials are then known to work, and a probe of the
        // floating IP would otherwise say nothing new.
        guarded(report, RejoinPathCheck.CHECK, () -> report.add(witness
                ? CheckResult.skipped(RejoinPathCheck.CHECK, "rejoin path not checked: a witness is never rejoined")
                : local.node().isPresent() ? new RejoinPathCheck(cfg).run()
                : CheckResult.skipped(RejoinPathCheck.CHECK, "rejoin path not checked: this node's PostgreSQL does not"
                        + " answer")));
        guarded(report, ProbePortCheck.CHECK, () -> report.add(ProbePortCheck.run(
                cfg.fencing().map(f -> f.probePort()).orElse(java.util.OptionalInt.empty()), local.cluster())));
        guarded(report, "digitalocean", () -> digitalOcean(cfg, local.cluster(), report));
        report.add(ClientTimeoutsAdvice.advice());
        return report;
    }

    private Optional<AgentConfig> agentConfig(DoctorReport report) {
        try {
            AgentConfig config = AgentConfigLoader.load(configFile, ConfigPurpose.DOCTOR);
            report.add(CheckResult.ok("agent_config", "agent config " + configFile + ": node " + config.requireNode().name()
                    + ", floating IP " + config.requireFlip().ip() + " via " + config.requireFlip().provider().key()));
            return Optional.of(config);
        } catch (ConfigException e) {
            report.add(CheckResult.fail("agent_config", e.getMessage(), java.nio.file.Files.exists(configFile)
                    ? "correct the keys named above in " + configFile + " (pgflip watch and promote read the same file)"
                    : "give the agent's config with --config FILE (default " + configFile + ")"));
            return Optional.empty();
        }
    }

    private void digitalOcean(AgentConfig cfg, Optional<ClusterView> cluster, DoctorReport report) {
        ProviderKind provider = cfg.requireFlip().provider();
        if (provider != ProviderKind.DIGITALOCEAN) {
            API_CHECKS.forEach(c -> report.add(CheckResult.skipped(c, c + " not checked: flip.provider is " + provider.key())));
            return;
        }
        Optional<DigitalOceanClient> api = new TokenChecks(cfg.requireDigitalOcean(), env, configFile).run(report);
        OptionalLong self = new DropletIdCheck(cfg, configFile).run(report);
        if (api.isEmpty()) {
            report.add(CheckResult.skipped("flip_region", "floating IP not checked: no accepted token"));
            report.add(CheckResult.skipped("flip_holder", "floating IP holder not checked: no accepted token"));
            report.add(CheckResult.skipped(TokenWriteScopeCheck.CHECK, "write scope not checked: no accepted token"));
            return;
        }
        String ip = cfg.requireFlip().ip();
        Optional<FloatingIp> flip = new FlipChecks(api.get(), ip, self, cluster, configFile).run(report);
        report.add(flip.isPresent() ? new TokenWriteScopeCheck(api.get(), ip, configFile).run()
                : CheckResult.skipped(TokenWriteScopeCheck.CHECK, "write scope not checked: the floating IP cannot be read"));
    }

    /** A check that breaks unexpectedly is reported as a failure of that check; the others still run. */
    private static <T> T guarded(DoctorReport report, String check, T fallback, Supplier<T> body) {
        try {
            return body.get();
        } catch (RuntimeException e) {
            report.add(CheckResult.fail(check, check + " check broke: " + e.getClass().getSimpleName() + ": "
                    + e.getMessage(), "report this pgflip doctor bug with the line above"));
            return fallback;
        }
    }

    private static void guarded(DoctorReport report, String check, Runnable body) {
        guarded(report, check, null, () -> {
            body.run();
            return null;
        });
    }
}
