package dev.pgflip.agent.doctor;

import dev.pgflip.agent.config.AgentConfig;
import dev.pgflip.agent.digitalocean.IpResource;
import dev.pgflip.agent.repmgr.RepmgrConf;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What a Debian node needs around PostgreSQL and repmgr for a failover to run, each found broken on a droplet set up
 * by the guide before these checks existed: repmgr's log directory (repmgrd exits at start without it, and the promote
 * hook's {@code repmgr primary register --log-to-file} fails), Debian's repmgrd init script without
 * {@code --daemonize=false} (its pidfile then names an exited parent: repmgrd cannot be stopped), PostgreSQL's
 * {@code start.conf} (a rebooted old primary must not come up writable before anyone asks who is primary now), the
 * IP resource's deprecated name, and a kernel that lets pgflip watch end a connection under repmgrd. Reads files only;
 * {@code root} is "/" on a node.
 */
final class NodeFilesChecks {
    static final String LOG_DIR = "repmgr_log_dir";
    static final String DAEMONIZE = "repmgrd_daemonize";
    static final String START_CONF = "start_conf";
    static final String START_GUARD = "start_guard";
    static final String IP_RESOURCE = "ip_resource";
    static final String SOCKET_DESTROY = "socket_destroy";
    private static final String DESTROY_OPTION = "CONFIG_INET_DIAG_DESTROY";
    private static final Pattern DEBIAN_DATA_DIR = Pattern.compile("/var/lib/postgresql/([^/]+)/([^/]+)/?");

    private final Path root;
    private final Optional<RepmgrConf> repmgr;
    private final Optional<AgentConfig> config;
    private final boolean witness;

    /** @param witness this node is repmgr's witness (it holds no data, and failovers need it up after a reboot) */
    NodeFilesChecks(Path root, Optional<RepmgrConf> repmgr, Optional<AgentConfig> config, boolean witness) {
        this.root = root;
        this.repmgr = repmgr;
        this.config = config;
        this.witness = witness;
    }

    void run(DoctorReport report) {
        report.add(logDirectory());
        report.add(daemonize());
        report.add(startConf());
        report.add(startGuard());
        report.add(ipResource());
        report.add(socketDestroy());
    }

    private Path onNode(String absolute) {
        return root.resolve(absolute.substring(1));
    }

    CheckResult logDirectory() {
        Optional<String> logFile = repmgr.flatMap(r -> r.value("log_file"));
        if (logFile.isEmpty()) {
            return CheckResult.skipped(LOG_DIR, "repmgr's log directory not checked: repmgr.conf sets no log_file"
                    + " (repmgrd logs to stderr)");
        }
        Path dir = Path.of(logFile.get()).getParent();
        Path here = onNode(dir.toString());
        if (!Files.isDirectory(here)) {
            return CheckResult.fail(LOG_DIR, "repmgr.conf's log_file is in " + dir + ", which does not exist: repmgrd exits"
                    + " at start and the promote hook's 'repmgr primary register --log-to-file' fails",
                    "install -d -m 0750 -o postgres -g postgres " + dir + " (the pgflip-agent package makes /var/log/repmgr)");
        }
        try {
            PosixFileAttributes attrs = Files.readAttributes(here, PosixFileAttributes.class);
            boolean postgresWrites = attrs.owner().getName().equals("postgres")
                    && attrs.permissions().contains(PosixFilePermission.OWNER_WRITE)
                    || attrs.group().getName().equals("postgres")
                    && attrs.permissions().contains(PosixFilePermission.GROUP_WRITE)
                    || attrs.permissions().contains(PosixFilePermission.OTHERS_WRITE);
            if (!postgresWrites) {
                return CheckResult.fail(LOG_DIR, dir + " (repmgr.conf's log_file) is " + attrs.owner().getName() + ":"
                        + attrs.group().getName() + " " + FileMode.octal(attrs.permissions())
                        + ": repmgrd and the promote hook run as postgres and cannot write there",
                        "chown postgres:postgres " + dir);
            }
        } catch (IOException | UnsupportedOperationException e) {
            return CheckResult.skipped(LOG_DIR, "cannot read the owner of " + dir + ": " + e.getMessage());
        }
        return CheckResult.ok(LOG_DIR, "repmgr logs to " + logFile.get() + ", in a directory postgres writes");
    }

    CheckResult daemonize() {
        Path defaults = onNode("/etc/default/repmgrd");
        if (!Files.isRegularFile(defaults)) {
            return CheckResult.skipped(DAEMONIZE, "no /etc/default/repmgrd: repmgrd is not run by Debian's init script here");
        }
        String text;
        try {
            text = Files.readString(defaults);
        } catch (IOException e) {
            return CheckResult.skipped(DAEMONIZE, "cannot read /etc/default/repmgrd: " + e.getMessage());
        }
        Matcher enabled = Pattern.compile("(?m)^\\s*REPMGRD_ENABLED\\s*=\\s*\"?(\\w+)").matcher(text);
        if (!enabled.find() || !enabled.group(1).equals("yes")) {
            return CheckResult.skipped(DAEMONIZE, "/etc/default/repmgrd does not enable Debian's repmgrd init script"
                    + " (REPMGRD_ENABLED=yes): repmgrd is started some other way here");
        }
        Matcher opts = Pattern.compile("(?m)^\\s*REPMGRD_OPTS\\s*=\\s*\"?([^\"\\n]*)\"?").matcher(text);
        String found = opts.find() ? opts.group(1) : "";
        if (!found.contains("--daemonize=false")) {
            return CheckResult.fail(DAEMONIZE, "/etc/default/repmgrd: REPMGRD_OPTS is \"" + found + "\", without"
                    + " --daemonize=false: the init script's pidfile then names a parent that exited, and"
                    + " 'systemctl restart repmgrd' cannot stop the daemon", "set REPMGRD_OPTS=\"--daemonize=false\" in"
                    + " /etc/default/repmgrd (repmgr's Debian notes), then systemctl restart repmgrd");
        }
        return CheckResult.ok(DAEMONIZE, "/etc/default/repmgrd runs repmgrd with --daemonize=false");
    }

    CheckResult startConf() {
        if (witness) {
            return CheckResult.skipped(START_CONF, "start.conf not checked: a witness holds no data to protect, and"
                    + " failovers need it up after a reboot (auto is right here)");
        }
        Optional<String> dataDir = repmgr.flatMap(r -> r.value("data_directory"));
        Matcher debian = DEBIAN_DATA_DIR.matcher(dataDir.orElse(""));
        if (!debian.matches()) {
            return CheckResult.skipped(START_CONF, "start.conf not checked: data_directory "
                    + dataDir.orElse("(not set)") + " is not a Debian cluster's /var/lib/postgresql/VERSION/NAME");
        }
        String conf = "/etc/postgresql/" + debian.group(1) + "/" + debian.group(2) + "/start.conf";
        Path file = onNode(conf);
        if (!Files.isRegularFile(file)) {
            return CheckResult.skipped(START_CONF, "no " + conf + " (not a cluster of Debian's postgresql-common)");
        }
        String mode;
        try {
            mode = Files.readAllLines(file).stream().map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#")).findFirst().orElse("auto");
        } catch (IOException e) {
            return CheckResult.skipped(START_CONF, "cannot read " + conf + ": " + e.getMessage());
        }
        if (mode.equals("auto")) {
            return CheckResult.fail(START_CONF, conf + " says auto: after a reboot an old primary starts writable on"
                    + " its old timeline before anything asks who is primary now",
                    "echo manual > " + conf + " and start PostgreSQL after a reboot with 'pgflip rejoin' (or by hand"
                            + " once 'repmgr cluster show' says this node is still the primary)");
        }
        return CheckResult.ok(START_CONF, conf + " says " + mode + ": a reboot does not start PostgreSQL on its own");
    }

    /**
     * Whether {@code pgflip start-guard} runs before PostgreSQL starts: on a Debian cluster, a systemd drop-in of its
     * unit (the package's {@code postgresql-start-guard.conf}, which repmgr's {@code service_start_command} goes
     * through too); elsewhere, repmgr.conf's {@code service_start_command}. The guard needs the agent's fencing
     * section, or it exits 2 and PostgreSQL does not start at all.
     */
    CheckResult startGuard() {
        if (witness) {
            return CheckResult.skipped(START_GUARD, "start guard not checked: a witness takes no writes");
        }
        Optional<String> dataDir = repmgr.flatMap(r -> r.value("data_directory"));
        Matcher debian = DEBIAN_DATA_DIR.matcher(dataDir.orElse(""));
        String where;
        if (debian.matches()) {
            String unit = "postgresql@" + debian.group(1) + "-" + debian.group(2) + ".service";
            Optional<String> dropIn = dropInRunningGuard(List.of("/etc/systemd/system/" + unit + ".d",
                    "/etc/systemd/system/postgresql@.service.d"));
            if (dropIn.isEmpty()) {
                return CheckResult.fail(START_GUARD, "no drop-in of " + unit + " runs pgflip start-guard: an old primary"
                        + " started by systemctl (repmgr's service_start_command included) comes up writable, and"
                        + " takes writes until pgflip watch fences it",
                        "install -D -m 0644 /usr/share/pgflip/postgresql-start-guard.conf /etc/systemd/system/" + unit
                                + ".d/pgflip-start-guard.conf && systemctl daemon-reload (section 6)");
            }
            where = dropIn.get();
        } else {
            String start = repmgr.flatMap(r -> r.value("service_start_command")).orElse("");
            if (!start.contains("pgflip start-guard")) {
                return CheckResult.skipped(START_GUARD, "start guard not checked: data_directory "
                        + dataDir.orElse("(not set)") + " is not a Debian cluster's, and repmgr.conf's"
                        + " service_start_command does not run pgflip start-guard (run it before whatever starts"
                        + " PostgreSQL)");
            }
            where = "repmgr.conf's service_start_command";
        }
        if (config.isPresent() && config.get().fencing().isEmpty()) {
            return CheckResult.fail(START_GUARD, where + " runs pgflip start-guard, but the agent config has no"
                    + " fencing section: the guard exits 2 and PostgreSQL does not start",
                    "add the fencing section (section 7)");
        }
        return CheckResult.ok(START_GUARD, where + " runs pgflip start-guard before PostgreSQL starts: an old primary"
                + " that cannot show it is the newest starts in recovery");
    }

    private Optional<String> dropInRunningGuard(List<String> dirs) {
        for (String dir : dirs) {
            Path here = onNode(dir);
            if (!Files.isDirectory(here)) {
                continue;
            }
            try (Stream<Path> files = Files.list(here)) {
                for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".conf")).sorted().toList()) {
                    boolean runs = Files.readAllLines(f).stream().map(String::strip)
                            .anyMatch(l -> l.startsWith("ExecStartPre=") && l.contains("pgflip start-guard"));
                    if (runs) {
                        return Optional.of(dir + "/" + f.getFileName());
                    }
                }
            } catch (IOException e) {
                // unreadable: as if absent, and the failure names the file to install
            }
        }
        return Optional.empty();
    }

    /**
     * pgflip watch frees a standby's repmgrd from a query a frozen primary never answers by ending that connection
     * ({@code ss -K}), which needs a kernel built with {@code CONFIG_INET_DIAG_DESTROY}; read from the kernel's build
     * options as Debian and Ubuntu install them ({@code /boot/config-RELEASE}), else {@code /proc/config.gz}.
     */
    CheckResult socketDestroy() {
        if (witness) {
            return CheckResult.skipped(SOCKET_DESTROY, "socket destroy not checked: a witness runs no pgflip watch");
        }
        Optional<String> options = kernelOptions();
        if (options.isEmpty()) {
            return CheckResult.skipped(SOCKET_DESTROY, "cannot read the kernel's build options (/boot/config-RELEASE,"
                    + " /proc/config.gz): check by hand that it has " + DESTROY_OPTION + "=y");
        }
        if (Pattern.compile("(?m)^" + DESTROY_OPTION + "=y$").matcher(options.get()).find()) {
            return CheckResult.ok(SOCKET_DESTROY, "the kernel has " + DESTROY_OPTION + "=y: pgflip watch can end a"
                    + " standby repmgrd's connection stuck on a frozen primary (with CAP_NET_ADMIN, which its unit"
                    + " grants)");
        }
        return CheckResult.fail(SOCKET_DESTROY, "the kernel lacks " + DESTROY_OPTION + ": pgflip watch cannot end a"
                + " standby repmgrd's connection stuck on a frozen primary (repmgrd_unblock_failed), and a primary"
                + " frozen while repmgrd waits on it is not failed over",
                "run a kernel built with " + DESTROY_OPTION + "=y (Ubuntu's generic kernels have it)");
    }

    private Optional<String> kernelOptions() {
        try {
            String release = Files.readString(onNode("/proc/sys/kernel/osrelease")).strip();
            Path boot = onNode("/boot/config-" + release);
            if (Files.isReadable(boot)) {
                return Optional.of(Files.readString(boot));
            }
        } catch (IOException e) {
            // no release to name the file by: try the running kernel's own copy
        }
        Path gz = onNode("/proc/config.gz");
        if (!Files.isReadable(gz)) {
            return Optional.empty();
        }
        try (var in = new java.util.zip.GZIPInputStream(Files.newInputStream(gz))) {
            return Optional.of(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    CheckResult ipResource() {
        Optional<IpResource> resource = config.flatMap(AgentConfig::digitalocean).map(d -> d.resource());
        if (resource.isEmpty()) {
            return CheckResult.skipped(IP_RESOURCE, "IP resource not checked: no digitalocean section");
        }
        if (resource.get() == IpResource.FLOATING_IPS) {
            return CheckResult.info(IP_RESOURCE, "digitalocean.resource is floating_ips, the deprecated name of"
                    + " reserved_ips: both work today; set reserved_ips before DigitalOcean drops the old one");
        }
        return CheckResult.ok(IP_RESOURCE, "digitalocean.resource: reserved_ips");
    }
}
