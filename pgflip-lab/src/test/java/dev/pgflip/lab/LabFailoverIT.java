package dev.pgflip.lab;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The foundation end to end on the real lab: repmgrd promotes the standby after kill -9 of the primary, its
 * promote_command runs the pgflip agent, the agent moves the floating IP through the emulator's DigitalOcean API, and
 * a write through the floating IP lands on the new primary. Then teardown leaves nothing behind.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LabFailoverIT extends OnTheLab {
    private static final String FLIP = "198.18.0.100";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static LabCli cli;

    @BeforeAll
    static void cliOfTheLab() {
        cli = lab.cli();
    }

    @Test
    @Order(1)
    void freshLabHasPrimaryStandbyWitnessAndTheFloatingIpOnN1() throws Exception {
        JsonNode status = status();
        assertThat(role(status, "n1")).isEqualTo("primary");
        assertThat(role(status, "n2")).isEqualTo("standby");
        assertThat(role(status, "n3")).isEqualTo("witness");
        assertThat(status.path("flip").path("holder").asText()).isEqualTo("n1");
        assertThat(status.path("digitalocean").path("flip_droplet_id").asLong())
                .isEqualTo(status.path("digitalocean").path("droplets").path("n1").asLong());
        assertThat(insertThroughFlip("before the failover")).as("in recovery").isFalse();
    }

    /**
     * What runs is what a droplet runs: the package installed by dpkg, the watch on the unit's command line, repmgrd
     * on /etc/repmgr.conf, and each node seeing its own /etc (the host's stays as it was).
     */
    @Test
    @Order(1)
    void theNodesRunTheInstalledPackageWithTheirOwnEtc() throws Exception {
        assertThat(run("dpkg-query", "-W", "-f=${db:Status-Status}", "pgflip-agent")).isEqualTo("installed");
        JsonNode state = JSON.readTree(cli.labDir().resolve("state.json").toFile());
        String watch = Files.readString(Path.of("/proc", state.path("watch_pids").path("n2").asText(), "cmdline"))
                .replace('\0', ' ').strip();
        assertThat(watch).contains("-cp /usr/share/pgflip/pgflip-agent.jar ")
                .endsWith("AgentMain watch --config /etc/pgflip/agent.yaml");
        String repmgrd = Files.readString(Path.of("/proc", state.path("repmgrd_pids").path("n2").asText(), "cmdline"))
                .replace('\0', ' ').strip();
        assertThat(repmgrd).endsWith("repmgrd -f /etc/repmgr.conf --daemonize=false --no-pid-file");

        for (String node : List.of("n1", "n2", "n3")) {
            String conf = run("ip", "netns", "exec", node, "cat", "/etc/repmgr.conf");
            assertThat(conf).contains("node_name='" + node + "'")
                    .contains("promote_command='/usr/bin/pgflip-promote /etc/repmgr.conf /etc/pgflip/agent.yaml ")
                    .contains("event_notification_command='/usr/bin/pgflip-event --config /etc/pgflip/agent.yaml ");
            assertThat(run("ip", "netns", "exec", node, "cat", "/etc/pgflip/agent.yaml")).contains("name: " + node);
            assertThat(run("ip", "netns", "exec", node, "cat", "/etc/default/repmgrd"))
                    .contains("REPMGRD_CONF=\"/etc/repmgr.conf\"", "REPMGRD_OPTS=\"--daemonize=false\"");
        }
        assertThat(Files.readString(Path.of("/etc/repmgr.conf"))).as("the host's own").doesNotContain("node_name");
        assertThat(Files.readString(Path.of("/etc/pgflip/agent.yaml"))).as("the host's own").contains("CHANGE-ME");
        assertThat(lab.agent("n2", "--version").stdout()).contains(System.getProperty("pgflip.version"));
    }

    private static String run(String... argv) throws Exception {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(String.join(" ", argv) + ": " + out).isZero();
        return out;
    }

    @Test
    @Order(1)
    void labEnvPointsThirdPartyClientsAtTheHttpsApiWithTheLabCa() throws Exception {
        java.util.Map<String, String> env = new java.util.HashMap<>();
        cli.ok("lab", "env").stdout().lines().filter(l -> l.startsWith("export "))
                .map(l -> l.substring("export ".length()).split("=", 2)).forEach(kv -> env.put(kv[0], kv[1]));
        assertThat(env.get("DIGITALOCEAN_API_URL")).isEqualTo("https://198.18.0.1:9443");
        assertThat(env.get("PGFLIP_DO_CA_FILE")).isEqualTo(cli.labDir().resolve("tls/ca.pem").toString());
        assertThat(env.get("PGFLIP_DO_METADATA_URL")).isEqualTo("http://198.18.0.1:9080/metadata/v1");

        // As README shows it: curl with the lab's CA, the header from a private file (never the token in argv).
        Path header = Files.createTempFile("pgflip-it-auth", ".txt",
                java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                        java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
        try {
            Files.writeString(header, "Authorization: Bearer "
                    + Files.readString(Path.of(env.get("PGFLIP_DO_TOKEN_FILE"))).strip() + "\n");
            Process curl = new ProcessBuilder("curl", "-sS", "--cacert", env.get("PGFLIP_DO_CA_FILE"), "-H", "@" + header,
                    env.get("DIGITALOCEAN_API_URL") + "/v2/floating_ips/" + FLIP).redirectErrorStream(true).start();
            String answer = new String(curl.getInputStream().readAllBytes());
            assertThat(curl.waitFor()).as("curl: " + answer).isZero();
            assertThat(JSON.readTree(answer).path("floating_ip").path("droplet").path("name").asText()).isEqualTo("n1");
        } finally {
            Files.deleteIfExists(header);
        }
        // The agent on the node (as postgres, in its namespace) reads the CA and gets through to the API with it.
        JsonNode doctor = JSON.readTree(cli.run("lab", "doctor", "n1", "-o", "json").stdout());
        for (JsonNode check : doctor.path("checks")) {
            if (List.of("token_accepted", "flip_region", "flip_holder").contains(check.path("check").asText())) {
                assertThat(check.path("status").asText()).as(check.toString()).isEqualTo("ok");
            }
        }
        assertThat(doctor.path("checks").findValuesAsText("check")).contains("token_accepted", "flip_holder");
    }

    /**
     * The promote wrapper's claim, with the real psql against the real witness, run as repmgrd runs it (postgres, in
     * n2's namespace, the lab's PGPASSFILE). It claims under another node name, n9: a real claim for n2 would (rightly)
     * make the primary n1 fence itself. repmgr and the agent are stand-ins that record their calls; the primary check
     * (pg_isready, then psql) and pg_promote are the real ones, and the check must stop the wrapper before pg_promote
     * (n1 is a primary).
     */
    @Test
    @Order(1)
    void thePromoteWrapperClaimsOnTheWitnessAndRefusesANodeMarkedIneligibleOrWhileAPrimaryAnswers() throws Exception {
        Path work = Files.createTempDirectory("pgflip-it-wrapper");
        String stoppedConninfo = null;
        try {
            Path bin = Files.createDirectories(work.resolve("bin"));
            Path calls = work.resolve("calls.txt");
            Files.createSymbolicLink(bin.resolve("psql"), dev.pgflip.lab.cluster.PostgresNode.PG_BIN.resolve("psql"));
            Files.createSymbolicLink(bin.resolve("pg_isready"),
                    dev.pgflip.lab.cluster.PostgresNode.PG_BIN.resolve("pg_isready"));
            executable(bin.resolve("repmgr"), "#!/bin/sh\necho \"repmgr $*\" >> " + calls + "\n");
            executable(bin.resolve("pgflip"), "#!/bin/sh\necho \"pgflip $*\" >> " + calls + "\n");
            Path conf = work.resolve("repmgr.conf");
            Files.writeString(conf, Files.readString(Path.of("/etc/netns/n2/repmgr.conf"))
                    .replaceFirst("(?m)^node_name\\s*=.*$", "node_name='n9'"));
            Path wrapper = work.resolve("pgflip-promote");
            executable(wrapper, dev.pgflip.agent.repmgr.PromoteWrapper.render(bin, bin.resolve("pgflip"), "test"));
            Files.setPosixFilePermissions(work, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));

            // n9 is no node of the cluster: n2 is its other standby, and n2 streams from the writable n1. A promotion
            // of n9 could lack commits n1 acknowledged through n2: the wrapper waits 10 s for that stream to end, then
            // refuses, before it claims anything.
            LabCli.Result partial = runWrapper(wrapper, conf, work.resolve("fence.state"));
            assertThat(partial.exitCode()).as(partial.stderr()).isEqualTo(1);
            assertThat(partial.stderr()).contains("another standby still streams from a writable primary after 10 s: n2"
                    + " (from 198.18.0.11)");
            assertThat(calls).doesNotExist();
            assertThat(witnessRowIfAny("n9")).isEqualTo("no row");

            // With n2's walreceiver stopped (and n2 holding no WAL n9's local node lacks: it is that node), the
            // claim is made; then the primary check finds n1 still a primary (it is: nothing failed), so nothing is
            // promoted (pg_promote would have gone to n2, the conninfo of this repmgr.conf) and the claim is withdrawn.
            stoppedConninfo = stopStreaming();
            LabCli.Result claimed = runWrapper(wrapper, conf, work.resolve("fence.state"));
            assertThat(claimed.exitCode()).as(claimed.stderr()).isEqualTo(8);
            assertThat(claimed.stderr()).contains("claimed the promotion of n9 on the witness")
                    .contains("node n1 still answers as a primary: not promoting n9")
                    .contains("n9 is still a standby: its claim on the witness is withdrawn");
            assertThat(calls).as("neither repmgr nor the agent was called").doesNotExist();
            assertThat(witnessRow("n9")).isEqualTo("eligible=true promoting=false");
            assertThat(n2InRecovery()).as("n2 not promoted").isTrue();

            onWitness("UPDATE pgflip.promotion SET eligible = false, promoting = false WHERE node_name = 'n9'");
            LabCli.Result refused = runWrapper(wrapper, conf, work.resolve("fence.state"));
            assertThat(refused.exitCode()).isEqualTo(1);
            assertThat(refused.stderr()).contains("n9 is ineligible for promotion");
            assertThat(calls).doesNotExist();
            assertThat(witnessRow("n9")).isEqualTo("eligible=false promoting=false");
        } finally {
            if (!"no row".equals(witnessRowIfAny("n9"))) {
                onWitness("DELETE FROM pgflip.promotion WHERE node_name = 'n9'");
            }
            if (stoppedConninfo != null) {
                streamAgain(stoppedConninfo);
            }
            try (var files = Files.walk(work)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    /** n2's walreceiver stopped (primary_conninfo emptied and reloaded); returns the setting to put back. */
    private static String stopStreaming() throws Exception {
        String saved;
        try (Connection c = LabFixture.connect(LabFixture.N2); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SHOW primary_conninfo")) {
                rs.next();
                saved = rs.getString(1);
            }
            s.execute("ALTER SYSTEM SET primary_conninfo = ''");
            s.execute("SELECT pg_reload_conf()");
        }
        Await.awaitTrue(() -> streamingOnN2() == 0, 15, "n2's walreceiver stopped");
        return saved;
    }

    /** n2 streaming from n1 again and synchronous replication back on n1, as the tests after this one expect. */
    private static void streamAgain(String conninfo) throws Exception {
        try (Connection c = LabFixture.connect(LabFixture.N2); var ps = c.prepareStatement(
                "SELECT format('ALTER SYSTEM SET primary_conninfo = %L', ?::text)")) {
            ps.setString(1, conninfo);
            String alter;
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                alter = rs.getString(1);
            }
            try (Statement s = c.createStatement()) {
                s.execute(alter);
                s.execute("SELECT pg_reload_conf()");
            }
        }
        Await.awaitTrue(() -> streamingOnN2() == 1, 30, "n2 streaming from n1 again");
        Await.awaitTrue(() -> {
            try (Connection c = LabFixture.connect(LabFixture.N1); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_stat_replication WHERE sync_state IN"
                         + " ('sync', 'quorum')")) {
                rs.next();
                return rs.getLong(1) == 1;
            }
        }, 30, "synchronous replication on n1 again");
    }

    private static boolean n2InRecovery() throws SQLException {
        try (Connection c = LabFixture.connect(LabFixture.N2); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT pg_is_in_recovery()")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    private static long streamingOnN2() throws SQLException {
        try (Connection c = LabFixture.connect(LabFixture.N2); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_stat_wal_receiver WHERE status = 'streaming'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void executable(Path file, String text) throws java.io.IOException {
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private static LabCli.Result runWrapper(Path wrapper, Path conf, Path fenceState) throws Exception {
        Process p = new ProcessBuilder("ip", "netns", "exec", "n2", "setpriv", "--reuid=postgres", "--regid=postgres",
                "--init-groups", "--", "env", "PGPASSFILE=" + cli.labDir().resolve("secrets/pgpass"), "/bin/sh",
                wrapper.toString(), conf.toString(), "/etc/pgflip/agent.yaml",
                fenceState.toString()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        var stdout = java.util.concurrent.CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
        String stderr = readAll(p.getErrorStream());
        assertThat(p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).as("the wrapper finished").isTrue();
        return new LabCli.Result(p.exitValue(), stdout.join(), stderr);
    }

    private static String readAll(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String witnessRow(String node) throws SQLException {
        try (Connection c = witness(); var ps = c.prepareStatement(
                "SELECT eligible, promoting FROM pgflip.promotion WHERE node_name = ?")) {
            ps.setString(1, node);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? "eligible=" + rs.getBoolean(1) + " promoting=" + rs.getBoolean(2) : "no row";
            }
        }
    }

    /** The row, or "no row" also when the table is missing (a wrapper that failed before creating it). */
    private static String witnessRowIfAny(String node) throws SQLException {
        try (Connection c = witness(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT to_regclass('pgflip.promotion') IS NOT NULL")) {
            rs.next();
            return rs.getBoolean(1) ? witnessRow(node) : "no row";
        }
    }

    private static void onWitness(String sql) throws SQLException {
        try (Connection c = witness(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /** The witness's repmgr database, where the claims live, as the lab's superuser. */
    private static Connection witness() throws SQLException {
        return LabFixture.connect(LabFixture.N3, "repmgr");
    }

    @Test
    @Order(2)
    void killingThePrimaryMovesTheFloatingIpToThePromotedStandby() throws Exception {
        // n1 as a node promoted and killed before its watch recorded the promotion leaves it: its claim still in flight
        // on the witness (seen in the drill). n2's claim comes after it, so that claim must not fence n2.
        onWitness(dev.pgflip.agent.watch.PromotionClaims.SCHEMA);
        onWitness("INSERT INTO pgflip.promotion (node_name, eligible, promoting, changed_by, reason, claimed_at)"
                + " VALUES ('n1', true, true, 'n1', 'planted by the test: promoted, killed before it was recorded',"
                + " now()) ON CONFLICT (node_name) DO UPDATE SET promoting = true, eligible = true, claimed_at = now(),"
                + " changed_at = now()");
        cli.ok("lab", "fault", "kill", "n1");

        JsonNode status = awaitStatus(s -> "n2".equals(s.path("flip").path("holder").asText())
                && "primary".equals(role(s, "n2"))
                && s.path("digitalocean").path("flip_droplet_id").asLong()
                        == s.path("digitalocean").path("droplets").path("n2").asLong(), 60);

        assertThat(role(status, "n1")).isEqualTo("down");
        assertThat(insertThroughFlip("after the failover")).as("in recovery").isFalse();
        try (Connection n2 = connect("198.18.0.12"); Statement s = n2.createStatement();
             ResultSet rs = s.executeQuery("SELECT array_agg(note ORDER BY id) FROM it_failover")) {
            rs.next();
            assertThat((String[]) rs.getArray(1).getArray()).containsExactly("before the failover", "after the failover");
        }
        // repmgr's events are recorded in the background (repmgrd must not wait for a JVM): give them a moment.
        String events = "";
        for (int i = 0; i < 100 && !events.contains("\"event\":\"repmgrd_failover_promote\""); i++) {
            Thread.sleep(100);
            events = Files.readString(cli.labDir().resolve("logs/events.jsonl"));
        }
        assertThat(events).contains("\"event\":\"repmgrd_failover_promote\"").contains("\"node\":\"n2\"")
                .contains("\"event\":\"pgflip_promote_started\"").contains("\"event\":\"pgflip_watch_flip_assigned\"");
        // Its promote hook recorded the promotion on the witness before repmgr did, with the real psql and witness.
        assertThat(Files.readString(cli.labDir().resolve("logs/n2-repmgr.log")))
                .containsPattern("pgflip-promote: the witness recorded the promotion of n2 onto timeline [0-9]+ [0-9]+ ms"
                        + " after the call");
        // The promoted node's watch counts it, holds the IP, and says so on its metrics endpoint.
        String n2 = awaitMetrics("n2", m -> m.contains("pgflip_watch_flip_correct 1.0"));
        assertThat(n2).contains("pgflip_watch_promotions_total 1.0", "pgflip_watch_role{role=\"primary\"} 1.0",
                "pgflip_watch_fenced{reason=\"isolated\"} 0.0", "pgflip_watch_fenced{reason=\"outranked\"} 0.0",
                "pgflip_watch_flip_held 1.0").containsPattern("pgflip_watch_api_requests_seconds_count\\{operation=\"assign\",outcome=\"success\",status=\"20[0-9]\"\\} [1-9]");
        // n2's keeper marked n1 ineligible after the promotion (n1 lacks what n2 acknowledges alone), which ends n1's
        // stale claim there instead of leaving it eligible and claimed for good.
        String n1Row = witnessRow("n1");
        for (int i = 0; i < 100 && !n1Row.equals("eligible=false promoting=false"); i++) {
            Thread.sleep(100);
            n1Row = witnessRow("n1");
        }
        assertThat(n1Row).isEqualTo("eligible=false promoting=false");
    }

    /**
     * The package's watch serves Prometheus metrics where the node's agent.yaml says (the lab: 127.0.0.1:9187 in each
     * namespace): the installed jar carries Micrometer, and the meters tell the primary from the standby.
     */
    @Test
    @Order(1)
    void eachDataNodesWatchServesPrometheusMetrics() throws Exception {
        String n1 = awaitMetrics("n1", m -> m.contains("pgflip_watch_sync_state{state=\"sync\"} 1.0")
                && m.contains("pgflip_watch_flip_correct 1.0"));
        assertThat(n1).contains("pgflip_watch_role{role=\"primary\"} 1.0", "pgflip_watch_flip_held 1.0",
                "pgflip_watch_fenced{reason=\"isolated\"} 0.0", "pgflip_watch_promotions_total 0.0");
        assertThat(n1).contains("pgflip_watch_repmgrd_running NaN");
        String n2 = awaitMetrics("n2", m -> m.contains("pgflip_watch_role{role=\"standby\"} 1.0")
                && m.contains("pgflip_watch_repmgrd_running 1.0"));
        assertThat(n2).contains("pgflip_watch_flip_held NaN", "pgflip_watch_sync_state{state=\"none\"} 1.0")
                .containsPattern("pgflip_watch_repmgrd_upstream_last_seen_seconds [0-4]\\.0")
                .containsPattern("pgflip_watch_api_requests_seconds_count\\{operation=\"get_ip\",outcome=\"success\",status=\"200\"\\} [1-9]");
        // The witness runs no watch: nothing listens there.
        Process none = new ProcessBuilder("ip", "netns", "exec", "n3", "curl", "-sS", "-o", "/dev/null",
                "http://127.0.0.1:9187/metrics").redirectErrorStream(true).start();
        assertThat(none.waitFor()).as("curl to n3's 9187").isEqualTo(7);
    }

    private static String awaitMetrics(String node, java.util.function.Predicate<String> ready) throws Exception {
        String last = "";
        for (int i = 0; i < 150; i++) {
            Process curl = new ProcessBuilder("ip", "netns", "exec", node, "curl", "-sS", "-f",
                    "http://127.0.0.1:9187/metrics").redirectErrorStream(true).start();
            last = new String(curl.getInputStream().readAllBytes());
            if (curl.waitFor() == 0 && ready.test(last)) {
                return last;
            }
            Thread.sleep(200);
        }
        throw new AssertionError(node + "'s metrics did not get there within 30 s; last scrape:\n" + last);
    }

    @Test
    @Order(3)
    void theOldPrimaryRejoinsAsAStandbyAndPgflipRejoinRefusesARunningPrimary() throws Exception {
        cli.ok("lab", "rejoin", "n1");
        JsonNode status = status();
        assertThat(role(status, "n1")).isEqualTo("standby");
        assertThat(role(status, "n2")).isEqualTo("primary");

        // The installed package's agent with the node's own /etc/pgflip/agent.yaml, as an operator runs it on n2.
        Process onPrimary = new ProcessBuilder("ip", "netns", "exec", "n2", "setpriv", "--reuid=postgres",
                "--regid=postgres", "--init-groups", "--", "/usr/bin/pgflip", "rejoin", "--config",
                "/etc/pgflip/agent.yaml").redirectErrorStream(true).start();
        String output = new String(onPrimary.getInputStream().readAllBytes());
        assertThat(onPrimary.waitFor()).as("exit code of pgflip rejoin on the primary").isEqualTo(2);
        assertThat(output).contains("node n2 still runs as a primary").contains("stop it first");
        assertThat(role(status(), "n2")).as("still primary").isEqualTo("primary");
    }

    @Test
    @Order(4)
    void labDownLeavesNoNamespaceBridgeOrPostgresProcess() throws Exception {
        cli.ok("lab", "down");
        cli.ok("lab", "down"); // idempotent

        assertThat(Files.exists(cli.labDir())).isFalse();
        assertThat(Files.exists(java.nio.file.Path.of("/run/pgflip-lab.owner"))).as("owner record").isFalse();
        String namespaces = new String(new ProcessBuilder("ip", "netns", "list").start().getInputStream().readAllBytes());
        assertThat(namespaces).doesNotContainPattern("(?m)^n[123]\\b");
        Process bridge = new ProcessBuilder("ip", "link", "show", "pgflbr0").start();
        assertThat(bridge.waitFor()).as("ip link show pgflbr0 exit code").isNotZero();
        assertThat(livePostgresProcesses()).isEmpty();
        assertThat(Path.of("/etc/netns/n1")).as("n1's own /etc").doesNotExist();
        assertThat(Files.readString(Path.of("/etc/default/repmgrd"))).as("the host's own, untouched")
                .doesNotContain("Generated by 'pgflip lab up'");
        assertThat(Path.of("/usr/bin/pgflip")).as("the package, purged").doesNotExist();
        assertThat(Path.of("/etc/pgflip")).as("its configuration, purged").doesNotExist();
    }

    /** Processes of the postgres user that still run: a killed one may linger a moment as a zombie until reaped. */
    private static java.util.List<String> livePostgresProcesses() throws Exception {
        java.util.List<String> live = java.util.List.of();
        for (int i = 0; i < 50; i++) {
            live = ProcessHandle.allProcesses().filter(p -> p.info().user().orElse("").equals("postgres"))
                    .filter(dev.pgflip.lab.process.Pids::aliveAndNotZombie)
                    .map(p -> p.pid() + " " + p.info().commandLine().orElse("?")).toList();
            if (live.isEmpty()) {
                break;
            }
            Thread.sleep(100);
        }
        return live;
    }

    private static boolean insertThroughFlip(String note) throws SQLException {
        try (Connection c = connect(FLIP); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS it_failover (id serial PRIMARY KEY, note text)");
            s.execute("INSERT INTO it_failover (note) VALUES ('" + note + "')");
            try (ResultSet rs = s.executeQuery("SELECT pg_is_in_recovery()")) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private static Connection connect(String host) throws SQLException {
        return LabFixture.connect(host);
    }

    private static JsonNode status() throws Exception {
        return JSON.readTree(cli.ok("lab", "status", "--json").stdout());
    }

    private static JsonNode awaitStatus(java.util.function.Predicate<JsonNode> condition, int seconds) throws Exception {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        JsonNode last = status();
        while (!condition.test(last)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("lab did not reach the expected state in " + seconds + " s; last status:\n"
                        + last.toPrettyString() + "\nrepmgrd log of n2:\n" + tail(cli.labDir().resolve("logs/n2-repmgr.log")));
            }
            Thread.sleep(250);
            last = status();
        }
        return last;
    }

    private static String role(JsonNode status, String node) {
        for (JsonNode n : status.path("nodes")) {
            if (n.path("name").asText().equals(node)) {
                return n.path("role").asText();
            }
        }
        return "missing";
    }

    private static String tail(Path file) {
        try {
            var lines = Files.readAllLines(file);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (java.io.IOException e) {
            return "(no " + file + ")";
        }
    }
}
