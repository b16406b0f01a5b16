package dev.pgflip.lab.cluster;

import dev.pgflip.agent.packaging.DebianLayout;
import dev.pgflip.lab.LabLayout;
import dev.pgflip.lab.LabNode;
import dev.pgflip.lab.process.Commands;
import dev.pgflip.lab.process.Pids;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One lab PostgreSQL instance, driven through its own binaries inside the node's namespace as the {@code postgres}
 * user (PostgreSQL and repmgr refuse to run as root).
 */
public final class PostgresNode {
    public static final Path PG_BIN = Path.of("/usr/lib/postgresql/15/bin");

    private final LabNode node;
    private final LabLayout layout;
    private final Commands commands;

    public PostgresNode(LabNode node, LabLayout layout, Commands commands) {
        this.node = node;
        this.layout = layout;
        this.commands = commands;
    }

    public LabNode node() {
        return node;
    }

    /** argv that runs {@code program args…} inside the node's namespace as postgres. */
    public List<String> asPostgres(String program, String... args) {
        List<String> argv = new ArrayList<>(List.of("ip", "netns", "exec", node.netns(),
                "setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups", "--"));
        argv.add(program.startsWith("/") ? program : PG_BIN.resolve(program).toString());
        argv.addAll(List.of(args));
        return argv;
    }

    public void initdb() {
        commands.run(asPostgres("initdb", "-D", layout.dataDir(node).toString(), "-U", "postgres",
                "--pwfile=" + layout.superuserPasswordFile(), "--auth=scram-sha-256", "--no-locale", "-E", "UTF8",
                "--no-instructions"), Duration.ofSeconds(120));
    }

    /** Appends the lab settings to postgresql.conf and replaces pg_hba.conf (before the first start). */
    public void configure(String subnetCidr) {
        Path data = layout.dataDir(node);
        try {
            Files.writeString(data.resolve("postgresql.conf"), PostgresSettings.postgresqlConf(),
                    StandardCharsets.UTF_8, StandardOpenOption.APPEND);
            Files.writeString(data.resolve("pg_hba.conf"), PostgresSettings.pgHba(subnetCidr), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot configure " + node.name() + " in " + data, e);
        }
    }

    public void start() {
        commands.run(asPostgres("pg_ctl", "-D", layout.dataDir(node).toString(), "-l",
                layout.postgresLog(node).toString(), "-w", "-t", "60", "start"), Duration.ofSeconds(70));
    }

    /** What runs before a data node's PostgreSQL starts: the package's systemd drop-in's command, as postgres. */
    public static final String START_GUARD_COMMAND = DebianLayout.LAUNCHER + " start-guard --config "
            + LabLayout.NODE_AGENT_CONF;

    /**
     * As a reboot starts it through systemd with the guide's drop-in: {@code pgflip start-guard} first (which may
     * write standby.signal and a fence record), then PostgreSQL. Returns the guard's one line.
     */
    public String startGuarded() {
        String said = commands.run(asPostgres(DebianLayout.LAUNCHER.toString(), "start-guard", "--config",
                LabLayout.NODE_AGENT_CONF.toString()), Duration.ofSeconds(60)).strip();
        start();
        return said;
    }

    /** Runs a repmgr command with this node's /etc/repmgr.conf and returns its output. */
    public String repmgr(String... args) {
        List<String> all = new ArrayList<>(List.of("-f", LabLayout.NODE_REPMGR_CONF.toString()));
        all.addAll(List.of(args));
        return commands.run(asPostgres("repmgr", all.toArray(String[]::new)), Duration.ofSeconds(120));
    }

    /**
     * repmgrd in the foreground (no self-daemonising), detached by the lab and stopped by the PID we record. Its
     * promote_command, the pgflip agent, inherits this namespace and environment.
     */
    public long startRepmgrd() {
        return commands.startDaemon(asPostgres("repmgrd", "-f", LabLayout.NODE_REPMGR_CONF.toString(),
                "--daemonize=false", "--no-pid-file"), layout.repmgrdLog(node));
    }

    /**
     * The pgflip watch daemon of this node, as postgres in its namespace, like repmgrd: the installed package's
     * {@code pgflip-watch.service} command line ({@link #WATCH_COMMAND}).
     */
    public long startWatch() {
        List<String> argv = asPostgres(WATCH_COMMAND.get(0), WATCH_COMMAND.subList(1, WATCH_COMMAND.size())
                .toArray(String[]::new));
        int setpriv = argv.indexOf("setpriv");
        argv.addAll(setpriv + 1, List.of("--inh-caps=+" + WATCH_CAPABILITY, "--ambient-caps=+" + WATCH_CAPABILITY));
        return commands.startDaemon(argv, layout.watchLog(node));
    }

    /**
     * The unit's {@code AmbientCapabilities=} (lower case, without {@code CAP_}), given the same way: the watch ends a
     * standby's repmgrd connection stuck on a frozen primary with {@code ss -K}.
     */
    public static final String WATCH_CAPABILITY = "net_admin";

    /** {@code ExecStart=} of the package's pgflip-watch.service; a test holds the two equal. */
    public static final List<String> WATCH_COMMAND = List.of(DebianLayout.LAUNCHER.toString(), "watch", "--config",
            LabLayout.NODE_AGENT_CONF.toString());

    /**
     * Makes way for a new postmaster after a kill -9: the postmaster (and pg_rewind's single-user start) refuses to
     * start while postmaster.pid names a PID that still exists, and a killed postmaster exists as a zombie until init
     * reaps it (here that can take seconds). Waits up to 5 s for that; a zombie still there then holds no shared
     * memory and no socket, so its stale lock file may go. Throws when the recorded postmaster is still running.
     */
    public void releaseStaleLock() {
        Path pidFile = layout.dataDir(node).resolve("postmaster.pid");
        Optional<Long> recorded = recordedPid(pidFile);
        if (recorded.isEmpty()) {
            return;
        }
        long pid = recorded.get();
        if (Pids.alive(pid)) {
            throw new IllegalStateException(node.name() + "'s postmaster (pid " + pid + ") is still running");
        }
        for (int i = 0; i < 50 && ProcessHandle.of(pid).isPresent(); i++) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + node.name() + "'s old postmaster", e);
            }
        }
        if (ProcessHandle.of(pid).isPresent()) {
            try {
                Files.deleteIfExists(pidFile);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot remove the stale postmaster.pid of " + node.name(), e);
            }
        }
    }

    private static Optional<Long> recordedPid(Path pidFile) {
        try {
            if (!Files.exists(pidFile)) {
                return Optional.empty();
            }
            List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
            if (lines.isEmpty() || !lines.get(0).strip().matches("\\d+")) {
                return Optional.empty();
            }
            return Optional.of(Long.parseLong(lines.get(0).strip()));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The postmaster PID from postmaster.pid, when that process is alive. */
    public Optional<Long> postmasterPid() {
        return recordedPid(layout.dataDir(node).resolve("postmaster.pid")).filter(Pids::alive);
    }
}
