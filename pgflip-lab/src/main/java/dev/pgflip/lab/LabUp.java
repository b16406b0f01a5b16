package dev.pgflip.lab;

import dev.pgflip.agent.packaging.DebianLayout;
import dev.pgflip.lab.cluster.AgentConfigFile;
import dev.pgflip.lab.cluster.PostgresNode;
import dev.pgflip.lab.cluster.RepmgrConfig;
import dev.pgflip.lab.install.AgentPackage;
import dev.pgflip.lab.install.NodeEtc;
import dev.pgflip.lab.tls.LabCertificates;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Brings the lab up in the order that worked (LAB-NOTES): primary, standby clone, witness, emulator and floating IP,
 * then repmgrd everywhere, and finally proves a write through the floating IP (the emulator's process is launched
 * ahead, right after the network, and awaited in its place; the witness's database is made beside the primary's and
 * registered in its place). State is saved after each step.
 */
public final class LabUp {
    /** Labs live for hours; a year keeps a forgotten one working while the CA key is long gone. */
    private static final Duration TLS_VALIDITY = Duration.ofDays(365);

    private final Lab lab;
    private final Progress progress;
    private final Path sourceJar;
    private final Path agentPackage;
    private LabState state;
    private LabCertificates.ServerIdentity tls;

    /** {@code agentPackage}: the agent's .deb the nodes run, installed on this machine as on a droplet. */
    public LabUp(Lab lab, Progress progress, Path sourceJar, Path agentPackage) {
        this.lab = lab;
        this.progress = progress;
        this.sourceJar = sourceJar;
        this.agentPackage = agentPackage;
    }

    public void run() {
        LabPreconditions.check();
        refuseWhileAnotherLabRuns();
        new AgentPackage(lab.commands()).refuseForeignInstall();
        state = LabState.empty();
        LabOwner.claim(lab.layout());
        prepareDirectory();
        createNetwork();
        // The emulator's JVM starts (about 5 s on the lab) while the databases are made: it needs only the bridge.
        long emulatorPid = launchEmulator();
        LabNode primary = lab.topology().initialPrimary();
        // The witness's own database needs nothing from the others: made beside the primary's and the clones, it is
        // registered once the primary is (on the 2-core lab, one run each: lab up 19.1 s instead of 19.9 s).
        List<LabNode> witnesses = lab.topology().nodes().stream()
                .filter(n -> n.initialRole() == LabNode.NodeRole.WITNESS).toList();
        CompletableFuture<Void> witnessDatabases = CompletableFuture.runAsync(() -> witnesses.forEach(this::initAndStart));
        try {
            bootstrapPrimary(primary);
            for (LabNode node : lab.topology().nodes()) {
                if (node.initialRole() == LabNode.NodeRole.STANDBY) {
                    cloneStandby(node, primary);
                }
            }
        } catch (RuntimeException e) {
            // Not before the witness's initdb and pg_ctl have ended: lab down must find every server this started.
            witnessDatabases.handle((done, failed) -> null).join();
            throw e;
        }
        try {
            witnessDatabases.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
        witnesses.forEach(node -> registerWitness(node, primary));
        awaitEmulator(emulatorPid);
        createFloatingIp(primary);
        trainClassDataArchive();
        for (LabNode node : lab.topology().nodes()) {
            long pid = lab.postgres(node).startRepmgrd();
            save(state.withRepmgrd(node.name(), pid));
            progress.step("%s: repmgrd started (pid %d)", node.name(), pid);
        }
        for (LabNode node : lab.topology().dataNodes()) {
            long pid = lab.postgres(node).startWatch();
            save(state.withWatch(node.name(), pid));
            progress.step("%s: pgflip watch started (pid %d)", node.name(), pid);
        }
        awaitWriteThroughFlip();
        awaitSynchronous(primary);
        progress.step("lab up: writes through the floating IP %s reach %s, replicated synchronously",
                lab.topology().flipIp(), primary.name());
    }

    /**
     * The lab is up once pgflip watch on the primary has made replication synchronous (its keeper sets
     * synchronous_standby_names once a standby streams): before that a commit is acknowledged on the primary alone,
     * and a kill loses it (measured: 2.6 s after the write through the IP worked, idle; a test that killed the primary
     * 2.5 s after the lab came up lost 3 acknowledged writes in CI).
     */
    private void awaitSynchronous(LabNode primary) {
        Deadline deadline = Deadline.after(Duration.ofSeconds(60));
        String seen = "nothing read";
        while (true) {
            try (var c = lab.appSql().connect(primary.address(), "postgres", 2); var st = c.createStatement();
                 var rs = st.executeQuery("SELECT current_setting('synchronous_standby_names'),"
                         + " (SELECT count(*) FROM pg_stat_replication WHERE sync_state IN ('sync', 'quorum'))")) {
                rs.next();
                seen = "synchronous_standby_names='" + rs.getString(1) + "', " + rs.getLong(2) + " quorum standby(s)";
                if (!rs.getString(1).isEmpty() && rs.getLong(2) > 0) {
                    return;
                }
            } catch (SQLException e) {
                seen = e.getMessage();
            }
            deadline.check("pgflip watch to make replication synchronous on " + primary.name() + " (" + seen + ")");
            sleep(100);
        }
    }

    private void prepareDirectory() {
        LabLayout layout = lab.layout();
        refuseForeignDirectory(layout);
        LabFiles.directory(layout.root(), "rwxr-xr-x", false);
        LabFiles.write(layout.marker(), "made by pgflip lab up; 'pgflip lab down' removes this directory\n", "rw-r--r--", false);
        save(state);
        RecordedTopology.write(layout, lab.topology());
        LabFiles.directory(layout.logs(), "rwxr-xr-x", true);
        LabFiles.directory(layout.bin(), "rwxr-xr-x", false);
        LabFiles.directory(layout.secrets(), "rwx------", true);
        String repmgrPassword = randomSecret();
        LabFiles.write(layout.repmgrPasswordFile(), repmgrPassword + "\n", "rw-------", true);
        LabFiles.write(layout.superuserPasswordFile(), Lab.APP_PASSWORD + "\n", "rw-------", true);
        LabFiles.write(layout.pgpass(), "*:*:*:repmgr:" + repmgrPassword + "\n*:*:*:postgres:" + Lab.APP_PASSWORD + "\n",
                "rw-------", true);
        LabFiles.write(layout.tokenFile(), "lab-" + randomSecret() + "\n", "rw-------", true);
        LabFiles.write(layout.readOnlyTokenFile(), "lab-read-only-" + randomSecret() + "\n", "rw-------", true);
        // The emulator's certificate names the bridge address, the one address the agents and the lab use.
        tls = LabCertificates.issue(layout.tls(), java.util.List.of(lab.topology().bridgeAddress()), TLS_VALIDITY);
        copyJar(layout);
        installAgentPackage();
        NodeEtc etc = new NodeEtc(layout, path -> save(state.withHostFile(path)));
        etc.prepareHost();
        for (LabNode node : lab.topology().nodes()) {
            LabFiles.directory(layout.nodeDir(node), "rwx------", true);
            LabFiles.directory(layout.archiveDir(node), "rwx------", true);
            etc.write(node, new RepmgrConfig(node, layout, PostgresNode.PG_BIN).render(),
                    new AgentConfigFile(node, lab.topology(), layout, PostgresNode.PG_BIN).render());
            etc.writeDefaults(node, RepmgrConfig.debianDefaults());
        }
        progress.step("state directory %s ready (secrets 0600, lab CA %s); each node's /etc/repmgr.conf,"
                + " /etc/pgflip/agent.yaml and /etc/default/repmgrd in %s", layout.root(), layout.root().relativize(tls.caCertificate()),
                layout.netnsEtc());
    }

    /** The emulator runs from the lab's own copy: rebuilding the repository during a drill must not pull it away. */
    private void copyJar(LabLayout layout) {
        try {
            Files.copy(sourceJar, layout.jar(), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy the pgflip jar " + sourceJar + " into the lab", e);
        }
    }

    /** The nodes run what a droplet runs: /usr/bin/pgflip and its hooks, from the package's own dpkg install. */
    private void installAgentPackage() {
        save(state.withAgentPackage(agentPackage.toString()));
        new AgentPackage(lab.commands()).install(agentPackage);
        progress.step("installed %s (dpkg -i): %s, %s, %s", agentPackage.getFileName(), DebianLayout.LAUNCHER,
                DebianLayout.PROMOTE_HOOK, DebianLayout.EVENT_HOOK);
    }

    /**
     * Records the classes an agent run loads (config, YAML, HTTP client, DigitalOcean client) into the package's CDS
     * archive, which every later run of /usr/bin/pgflip maps instead of loading; trained on 'flip status' (it needs
     * the emulator) as postgres on the primary, as an operator would train it on a droplet.
     */
    private void trainClassDataArchive() {
        LabNode primary = lab.topology().initialPrimary();
        lab.commands().run(lab.postgres(primary).asPostgres(DebianLayout.JAVA.toString(),
                "-XX:ArchiveClassesAtExit=" + DebianLayout.CLASS_DATA_ARCHIVE, "-Xlog:cds=error", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-cp", DebianLayout.JAR.toString(), "dev.pgflip.agent.cli.AgentMain", "flip",
                "status", "--config", LabLayout.NODE_AGENT_CONF.toString()), Duration.ofSeconds(60));
        progress.step("agent class-data archive trained (%s)", DebianLayout.CLASS_DATA_ARCHIVE);
    }

    private static void refuseForeignDirectory(LabLayout layout) {
        try (var entries = Files.list(layout.root())) {
            if (entries.findAny().isPresent() && !Files.exists(layout.marker())) {
                throw new LabException(layout.root() + " exists and is not a pgflip lab directory: choose another with"
                        + " --dir or " + LabLayout.DIR_ENV);
            }
        } catch (java.nio.file.NoSuchFileException e) {
            // a new directory: nothing to protect
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Before anything is written: a second lab would collide on every name and address of the first. */
    private void refuseWhileAnotherLabRuns() {
        LabOwner.other(lab.layout()).ifPresent(dir -> {
            throw new LabException("another lab is running in " + dir + ": stop it first with 'pgflip lab down --dir "
                    + dir + "'");
        });
        for (LabNode node : lab.topology().nodes()) {
            if (lab.network().namespaceExists(node.netns()) || lab.network().linkExists(lab.topology().bridge())) {
                throw new LabException("namespace " + node.netns() + " or bridge " + lab.topology().bridge()
                        + " already exists but no lab owns it: remove it with 'pgflip lab down' (in the directory that"
                        + " made it) or 'ip netns del " + node.netns() + "; ip link del " + lab.topology().bridge() + "'");
            }
        }
    }

    private void createNetwork() {
        lab.network().createBridge();
        save(state.withBridge(lab.topology().bridge()));
        for (LabNode node : lab.topology().nodes()) {
            save(state.withNamespace(node.netns(), node.hostVeth()));
            lab.network().createNamespace(node);
        }
        progress.step("network: bridge %s %s/%d, namespaces %s", lab.topology().bridge(),
                lab.topology().bridgeAddress(), lab.topology().prefixLength(),
                lab.topology().nodes().stream().map(n -> n.name() + "=" + n.address()).toList());
    }

    private void bootstrapPrimary(LabNode node) {
        PostgresNode pg = initAndStart(node);
        pg.repmgr("primary", "register");
        progress.step("%s: registered as repmgr primary", node.name());
    }

    private void cloneStandby(LabNode node, LabNode primary) {
        PostgresNode pg = lab.postgres(node);
        // --fast-checkpoint: without it the clone waited ~100 s for the primary's next checkpoint.
        pg.repmgr("-h", primary.address(), "-U", "repmgr", "-d", "repmgr", "standby", "clone", "--fast-checkpoint");
        progress.step("%s: cloned from %s", node.name(), primary.name());
        pg.start();
        // repmgr refuses to register a standby still in "startup" on the primary (seen: "local node not attached").
        lab.awaitStreaming(node, primary);
        pg.repmgr("standby", "register", "--wait-start=30");
        progress.step("%s: started and registered as standby", node.name());
    }

    /** The witness's database is made already ({@link #initAndStart}). */
    private void registerWitness(LabNode node, LabNode primary) {
        lab.postgres(node).repmgr("-h", primary.address(), "witness", "register");
        progress.step("%s: registered as witness of %s", node.name(), primary.name());
    }

    private PostgresNode initAndStart(LabNode node) {
        PostgresNode pg = lab.postgres(node);
        pg.initdb();
        pg.configure(subnet());
        pg.start();
        try {
            lab.appSql().execute(node.address(), "postgres", "CREATE ROLE repmgr LOGIN SUPERUSER PASSWORD '"
                    + Lab.readSecret(lab.layout().repmgrPasswordFile()) + "'");
            lab.appSql().execute(node.address(), "postgres", "CREATE DATABASE repmgr OWNER repmgr");
            lab.appSql().execute(node.address(), "postgres",
                    "ALTER ROLE repmgr SET search_path TO repmgr, \"$user\", public");
        } catch (SQLException e) {
            throw new LabException(node.name() + ": cannot create the repmgr role and database: " + e.getMessage(), e);
        }
        progress.step("%s: initdb, started, repmgr role and database created", node.name());
        return pg;
    }

    private long launchEmulator() {
        long pid = new EmulatorProcess(lab).start(lab.layout().jar(), tls);
        save(state.withEmulator(pid, lab.topology().apiUrl()));
        return pid;
    }

    private void awaitEmulator(long pid) {
        new EmulatorProcess(lab).awaitReady(pid, Duration.ofSeconds(30));
        progress.step("DigitalOcean API emulator on %s (pid %d), droplets %s", lab.topology().apiUrl(), pid,
                dropletIds());
        save(state.withDroplets(dropletIds()));
    }

    private void createFloatingIp(LabNode primary) {
        String ip = lab.topology().flipIp();
        try {
            long actionId = lab.emulatorApi().createFloatingIp(ip, primary.dropletId());
            Deadline deadline = Deadline.after(Duration.ofSeconds(20));
            while (actionId > 0 && !"completed".equals(lab.emulatorApi().actionStatus(actionId))) {
                deadline.check("the floating IP's assign action " + actionId + " to complete");
                Thread.sleep(100);
            }
        } catch (IOException e) {
            throw new LabException("cannot create the floating IP through the emulator: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException("interrupted", e);
        }
        save(state.withFlip(ip));
        progress.step("floating IP %s created through the API, assigned to droplet %d (%s)", ip, primary.dropletId(),
                primary.name());
    }

    private void awaitWriteThroughFlip() {
        Deadline deadline = Deadline.after(Duration.ofSeconds(30));
        String flip = lab.topology().flipIp();
        while (true) {
            try {
                lab.appSql().execute(flip, "postgres",
                        "CREATE TABLE IF NOT EXISTS pgflip_lab_probe (id bigserial PRIMARY KEY, at timestamptz DEFAULT now());"
                                + "INSERT INTO pgflip_lab_probe DEFAULT VALUES");
                return;
            } catch (SQLException e) {
                deadline.check("a write through " + flip + " (last error: " + e.getMessage() + ")");
                sleep(200);
            }
        }
    }

    private Map<String, Long> dropletIds() {
        Map<String, Long> ids = new LinkedHashMap<>();
        lab.topology().nodes().forEach(n -> ids.put(n.name(), n.dropletId()));
        return ids;
    }

    private String subnet() {
        return lab.topology().bridgeAddress().replaceAll("\\.\\d+$", ".0") + "/" + lab.topology().prefixLength();
    }

    private void save(LabState next) {
        state = next;
        state.save(lab.layout().stateFile());
    }

    private static String randomSecret() {
        byte[] bytes = new byte[16];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException("interrupted", e);
        }
    }
}
