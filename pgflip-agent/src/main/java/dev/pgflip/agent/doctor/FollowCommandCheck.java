package dev.pgflip.agent.doctor;

import dev.pgflip.agent.config.AgentConfig;
import dev.pgflip.agent.packaging.DebianLayout;
import dev.pgflip.agent.repmgr.RepmgrConf;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * repmgr.conf's {@code follow_command}, which repmgrd runs on every other standby after a promotion. pgflip's own
 * ({@code pgflip follow ... --upstream-node-id=%n}) is the one that refuses to follow a fenced primary; repmgr's own
 * {@code repmgr standby follow} still works, so it is advice, not a failure. A follow_command that cannot work is one.
 */
final class FollowCommandCheck {
    static final String CHECK = "follow_command";

    private final Optional<AgentConfig> config;
    private final Path configFile;
    private final Map<String, String> env;

    FollowCommandCheck(Optional<AgentConfig> config, Path configFile, Map<String, String> env) {
        this.config = config;
        this.configFile = configFile;
        this.env = env;
    }

    /** The line the guide and the fixes give. */
    String example() {
        return "follow_command='" + DebianLayout.LAUNCHER + " follow --config " + configFile + " --upstream-node-id=%n'";
    }

    CheckResult run(RepmgrConf conf) {
        Optional<String> text = conf.value(CHECK).filter(t -> !t.isBlank());
        if (text.isEmpty()) {
            if (conf.value("failover").orElse("manual").equals("automatic")) {
                return CheckResult.fail(CHECK, "follow_command is not set in " + conf.file() + ": with"
                        + " failover='automatic' repmgrd refuses to start without it", "add " + example() + " to "
                        + conf.file());
            }
            return CheckResult.info(CHECK, "follow_command is not set in " + conf.file() + " (repmgrd runs none while"
                    + " failover is not automatic); with automatic failover use " + example());
        }
        HookCommand command = HookCommand.parse(text.get());
        boolean namesNode = text.get().contains("%n");
        if (!command.runsPgflip("follow")) {
            return CheckResult.info(CHECK, "follow_command runs " + text.get() + ", not pgflip follow: it may follow a"
                    + (namesNode ? "" : "ny primary it finds (no %n: not necessarily the one repmgrd chose), even a")
                    + " primary pgflip has fenced read-only; " + example() + " waits for a writable primary first");
        }
        if (!namesNode) {
            return CheckResult.fail(CHECK, "follow_command runs pgflip follow without %n (" + text.get() + "): it needs"
                    + " --upstream-node-id=%n, the node repmgrd chose, and fails without it", "set " + example()
                    + " in " + conf.file());
        }
        Optional<String> unrunnable = command.unrunnableProgram(env);
        if (unrunnable.isPresent()) {
            return CheckResult.fail(CHECK, "follow_command cannot start: " + unrunnable.get(),
                    "install pgflip there or correct the path in " + conf.file());
        }
        if (config.isPresent() && config.get().rejoin().isEmpty()) {
            return CheckResult.fail(CHECK, "follow_command runs pgflip follow, which needs the rejoin section of "
                    + configFile + " (it runs repmgr standby follow with rejoin.repmgr and rejoin.repmgr_conf)",
                    "add rejoin: {repmgr_conf: " + conf.file() + ", config_archive_dir: DIR, repmgr: "
                            + DebianLayout.PG_BIN.resolve("repmgr") + "} to " + configFile);
        }
        return CheckResult.ok(CHECK, "follow_command runs pgflip follow: " + text.get());
    }
}
