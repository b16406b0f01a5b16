package dev.pgflip.agent.doctor;

import dev.pgflip.agent.config.AgentConfig;
import dev.pgflip.agent.config.RejoinConfig;
import dev.pgflip.agent.packaging.DebianLayout;
import dev.pgflip.agent.repmgr.RepmgrConf;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** repmgr.conf: found and parsed, failover automatic, and the hooks pointing at pgflip. */
final class RepmgrConfChecks {
    static final Path DEFAULT_FILE = Path.of("/etc/repmgr.conf");
    private static final List<String> REQUIRED = List.of("node_id", "node_name", "conninfo", "data_directory");

    private final Optional<Path> given;
    private final Optional<AgentConfig> config;
    private final Path configFile;
    private final Map<String, String> env;

    RepmgrConfChecks(Optional<Path> given, Optional<AgentConfig> config, Path configFile, Map<String, String> env) {
        this.given = given;
        this.config = config;
        this.configFile = configFile;
        this.env = env;
    }

    Optional<RepmgrConf> run(DoctorReport report) {
        Path file = given.or(() -> config.flatMap(AgentConfig::rejoin).map(RejoinConfig::repmgrConf)).orElse(DEFAULT_FILE);
        Optional<RepmgrConf> conf = read(file, report);
        if (conf.isEmpty()) {
            for (String check : List.of("failover", "visibility_consensus", "promote_command", FollowCommandCheck.CHECK,
                    "event_notification_command")) {
                report.add(CheckResult.skipped(check, check + " not checked: no readable repmgr.conf"));
            }
            return Optional.empty();
        }
        report.add(failover(conf.get()));
        report.add(visibilityConsensus(conf.get()));
        report.add(hook(conf.get(), "promote_command", "promote",
                "the floating IP would stay on the failed primary",
                "promote_command='" + DebianLayout.PROMOTE_HOOK + " /etc/repmgr.conf " + configFile + " "
                        + DebianLayout.FENCE_STATE + "'"));
        report.add(new FollowCommandCheck(config, configFile, env).run(conf.get()));
        report.add(hook(conf.get(), "event_notification_command", "event",
                "repmgr's events (promotions, failures) are not recorded",
                "event_notification_command='" + DebianLayout.EVENT_HOOK + " --config " + configFile
                        + " %n %e %s \"%t\" \"%d\"'"));
        return conf;
    }

    private Optional<RepmgrConf> read(Path file, DoctorReport report) {
        String source = given.isPresent() ? "--repmgr-config"
                : config.flatMap(AgentConfig::rejoin).isPresent() ? "rejoin.repmgr_conf" : "the default";
        RepmgrConf conf;
        try {
            conf = RepmgrConf.read(file);
        } catch (NoSuchFileException e) {
            report.add(CheckResult.fail("repmgr_conf", "repmgr.conf not found: " + file + " (" + source + ")",
                    "give this node's repmgr.conf with --repmgr-config FILE, or set rejoin.repmgr_conf in " + configFile));
            return Optional.empty();
        } catch (IOException e) {
            report.add(CheckResult.fail("repmgr_conf", "cannot read repmgr.conf " + file + ": " + e.getMessage(),
                    "run pgflip doctor as the user repmgrd runs as (postgres), or fix the file's permissions"));
            return Optional.empty();
        }
        List<String> missing = new ArrayList<>(REQUIRED);
        missing.removeIf(key -> conf.value(key).isPresent());
        if (!conf.isValid()) {
            report.add(CheckResult.fail("repmgr_conf", "repmgr.conf " + file + " does not parse: "
                    + String.join("; ", conf.problems()), "repmgr refuses it too: fix those lines (quote values like"
                    + " paths and conninfo in single quotes: key='value')"));
        } else if (!missing.isEmpty()) {
            report.add(CheckResult.fail("repmgr_conf", "repmgr.conf " + file + " lacks " + String.join(", ", missing),
                    "add them (node_id=N, node_name='NAME', conninfo='host=... user=repmgr dbname=repmgr',"
                            + " data_directory='/path')"));
        } else {
            String repmgrName = conf.value("node_name").orElseThrow();
            Optional<String> agentName = config.flatMap(AgentConfig::node).map(n -> n.name());
            if (agentName.isPresent() && !agentName.get().equals(repmgrName)) {
                report.add(CheckResult.fail("repmgr_conf", "repmgr.conf " + file + " says node_name '" + repmgrName
                        + "' but the agent's node.name is '" + agentName.get() + "'",
                        "set node.name: " + repmgrName + " in " + configFile + " (pgflip and repmgr must name the node alike)"));
            } else {
                report.add(CheckResult.ok("repmgr_conf", "repmgr.conf " + file + ": node_id=" + conf.value("node_id").get()
                        + ", node_name=" + repmgrName));
            }
        }
        return Optional.of(conf);
    }

    private static CheckResult failover(RepmgrConf conf) {
        String mode = conf.value("failover").orElse("manual");
        if (mode.equals("automatic")) {
            return CheckResult.ok("failover", "failover='automatic': repmgrd promotes a standby when the primary fails");
        }
        return CheckResult.fail("failover", "failover='" + mode + "'" + (conf.value("failover").isEmpty() ? " (the default)" : "")
                + " in " + conf.file() + ": repmgrd never promotes a standby by itself",
                "set failover='automatic' in " + conf.file() + " and restart repmgrd");
    }

    /**
     * repmgr's consensus cancels an election whenever a sibling saw the primary within two monitor intervals, and
     * never runs it again: the witness sees a killed primary until the moment it dies, so a kill detected sooner than
     * that is never failed over (measured on the lab; repmgr issues #674, #742). pgflip's promotion claims on the
     * witness guard the partition between data nodes that the setting is meant for.
     */
    static CheckResult visibilityConsensus(RepmgrConf conf) {
        if (!conf.flag("primary_visibility_consensus")) {
            return CheckResult.ok("visibility_consensus", "primary_visibility_consensus is off: a standby that loses the"
                    + " primary is promoted only if it can claim its promotion on the witness (pgflip.promotion)");
        }
        String interval = conf.value("monitor_interval_secs").orElse("2");
        return CheckResult.fail("visibility_consensus", "primary_visibility_consensus=true in " + conf.file()
                + ": the witness sees a killed primary until it dies, so a failure detected within 2 x monitor_interval_secs ("
                + interval + " s here) cancels the election, and repmgrd never runs it again: no failover at all",
                "set primary_visibility_consensus=false in " + conf.file() + " and restart repmgrd (pgflip's promotion"
                        + " claims on the witness keep a standby cut off from the primary alone from being promoted)");
    }

    private CheckResult hook(RepmgrConf conf, String key, String verb, String consequence, String example) {
        Optional<String> text = conf.value(key).filter(t -> !t.isBlank());
        if (text.isEmpty()) {
            return CheckResult.fail(key, key + " is not set in " + conf.file() + ": " + consequence,
                    "add " + example + " to " + conf.file());
        }
        HookCommand command = HookCommand.parse(text.get());
        if (!command.runsPgflip(verb)) {
            return CheckResult.fail(key, key + " does not run pgflip " + verb + " (" + text.get() + "): " + consequence,
                    "set " + example + " in " + conf.file());
        }
        Optional<String> unrunnable = command.unrunnableProgram(env);
        if (unrunnable.isPresent()) {
            return CheckResult.fail(key, key + " cannot start: " + unrunnable.get(),
                    "install pgflip there or correct the path in " + conf.file());
        }
        return CheckResult.ok(key, key + " runs pgflip " + verb + ": " + text.get());
    }
}
