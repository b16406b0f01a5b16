package dev.pgflip.lab.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pgflip.agent.digitalocean.ApiToken;
import dev.pgflip.agent.digitalocean.DigitalOceanClient;
import dev.pgflip.agent.digitalocean.FloatingIp;
import dev.pgflip.agent.digitalocean.IpResource;
import dev.pgflip.agent.digitalocean.RetryPolicy;
import dev.pgflip.agent.time.Deadline;
import dev.pgflip.lab.Lab;
import dev.pgflip.lab.LabCli;
import dev.pgflip.lab.LabFixture;
import dev.pgflip.lab.LabNode;
import dev.pgflip.lab.LabState;
import dev.pgflip.lab.process.Pids;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@code pgflip doctor --lab NODE} on the real lab: all checks pass on a healthy lab, then each thing it checks is
 * broken in turn and the doctor names exactly that check (exit code = number of failures). Every break is undone in a
 * finally block, and the last test proves the lab is healthy again.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DoctorIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static LabFixture fixture;
    private static Lab lab;

    /** One doctor run: its exit code and the JSON report's statuses by check. */
    record Diagnosis(int exitCode, Map<String, String> status, Map<String, JsonNode> checks, String raw) {
        List<String> failed() {
            return status.entrySet().stream().filter(e -> e.getValue().equals("fail")).map(Map.Entry::getKey).toList();
        }

        String message(String check) {
            return checks.get(check).path("message").asText();
        }

        String fix(String check) {
            return checks.get(check).path("fix").asText();
        }
    }

    @BeforeAll
    static void up() throws Exception {
        fixture = LabFixture.up();
        lab = fixture.lab();
    }

    @AfterAll
    static void down() throws Exception {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    @Order(1)
    void aHealthyLabPassesEveryCheckOnEveryNode() throws Exception {
        LabCli.Result text = fixture.cli().run("doctor", "--lab", "n2", "--lab-dir", fixture.dir().toString());

        assertThat(text.exitCode()).as(text.stdout() + text.stderr()).isZero();
        List<String> lines = text.stdout().lines().takeWhile(l -> !l.isEmpty()).toList();
        assertThat(lines).hasSizeGreaterThan(15);
        // ✓ and i where the locale is UTF-8, ok and info in a plain C locale; the two Debian-only checks are skipped (-)
        // on the lab, which runs neither Debian's repmgrd init script nor a /var/lib/postgresql cluster.
        assertThat(lines).allSatisfy(l -> assertThat(l).matches("(✓|i|ok  |info) .*"
                + "|(-|skip) (/etc/default/repmgrd does not enable|start.conf not checked).*"));
        assertThat(text.stdout()).contains("0 problems found.").contains("repmgrd runs (pid")
                .contains("droplet id 102 (metadata service").contains("is on droplet 101 (n1), the current primary")
                .doesNotContain(Files.readString(lab.layout().tokenFile()).strip());

        Diagnosis n2 = doctor("n2");
        assertThat(n2.exitCode()).isZero();
        assertThat(n2.status()).containsEntry("client_timeouts", "info")
                .containsKeys("repmgr_conf", "promote_command", "repmgrd", "wal_log_hints", "synchronous_replication",
                        "token", "token_accepted", "droplet_id", "flip_region", "flip_holder");
        // The lab is not Debian's service layout: its repmgrd is not run by the init script, its data directories are
        // not /var/lib/postgresql/15/main, and it keeps the deprecated resource name on purpose (the emulator serves both).
        assertThat(n2.status()).containsEntry("repmgrd_daemonize", "skipped").containsEntry("start_conf", "skipped")
                .containsEntry("ip_resource", "info").containsEntry("repmgr_log_dir", "ok")
                .containsEntry("superuser", "ok").containsEntry("rejoin_path", "ok")
                .containsEntry("socket_destroy", "ok").containsEntry("probe_port", "ok");
        assertThat(n2.status().entrySet()).filteredOn(e -> !e.getKey().equals("repmgrd_daemonize")
                && !e.getKey().equals("start_conf")).extracting(java.util.Map.Entry::getValue).containsOnly("ok", "info");

        // The primary and the witness, through the other spelling of the command.
        for (String node : List.of("n1", "n3")) {
            LabCli.Result run = fixture.cli().run("lab", "doctor", node, "-o", "json");
            assertThat(run.exitCode()).as(node + ": " + run.stdout() + run.stderr()).isZero();
        }
    }

    @Test
    @Order(2)
    void aTokenFileOthersCanReadIsOneFailureWithChmodAsTheFix() throws Exception {
        Path token = lab.layout().tokenFile();
        Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-r--r--"));
        try {
            Diagnosis d = doctor("n2");

            assertThat(d.failed()).containsExactly("token");
            assertThat(d.exitCode()).isEqualTo(1);
            assertThat(d.message("token")).contains("mode 0644");
            assertThat(d.fix("token")).isEqualTo("chmod 600 " + token);
            assertThat(d.status()).containsEntry("token_accepted", "skipped").containsEntry("flip_holder", "skipped");
        } finally {
            Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-------"));
        }
    }

    @Test
    @Order(3)
    void aTokenTheApiRejectsIsOneFailure() throws Exception {
        Path token = lab.layout().tokenFile();
        byte[] original = Files.readAllBytes(token);
        // Rewriting in place keeps the file's owner (postgres) and mode (0600): only the token is wrong.
        Files.writeString(token, "lab-not-the-token\n", StandardCharsets.UTF_8);
        try {
            Diagnosis d = doctor("n2");

            assertThat(d.failed()).containsExactly("token_accepted");
            assertThat(d.exitCode()).isEqualTo(1);
            assertThat(d.message("token_accepted")).contains("rejects the token (401");
            assertThat(d.raw()).doesNotContain("lab-not-the-token");
        } finally {
            Files.write(token, original);
        }
    }

    @Test
    @Order(4)
    void theFloatingIpOnAnotherDropletIsOneFailureAndItsFixPutsItBack() throws Exception {
        long watchN1 = lab.state().watchPids().get("n1");
        DigitalOceanClient api = DigitalOceanClient.create(URI.create(lab.topology().apiUrl()),
                dev.pgflip.agent.digitalocean.ApiTrust.onlyCaFile(lab.layout().caCertificate()), IpResource.FLOATING_IPS,
                Duration.ofSeconds(5), new ApiToken(Files.readString(lab.layout().tokenFile())), RetryPolicy.defaults());
        String flip = lab.topology().flipIp();
        // n1's watch would move the IP back within 5 s: hold it still while the IP is elsewhere.
        Pids.signal(lab.commands(), watchN1, "STOP");
        try {
            api.assign(flip, 103, Deadline.after(Duration.ofSeconds(10)));
            awaitHolder(api, flip, 103);

            Diagnosis d = doctor("n2");

            assertThat(d.failed()).containsExactly("flip_holder");
            assertThat(d.exitCode()).isEqualTo(1);
            assertThat(d.message("flip_holder")).contains("droplet 103 (n3)").contains("primary is n1");
            assertThat(d.fix("flip_holder")).contains("pgflip flip assign 101 --wait");
        } finally {
            // The doctor's own fix.
            fixture.agent("n1", "flip", "assign", "101", "--wait", "--config", "/etc/pgflip/agent.yaml");
            Pids.signal(lab.commands(), watchN1, "CONT");
        }
        awaitHolder(api, flip, 101);
    }

    @Test
    @Order(5)
    void aPromoteCommandThatIsNotPgflipIsOneFailure() throws Exception {
        Path conf = lab.layout().repmgrConf(node("n2"));
        String original = Files.readString(conf);
        Files.writeString(conf, original.replaceAll("(?m)^promote_command=.*$",
                "promote_command='/usr/lib/postgresql/15/bin/repmgr standby promote -f /etc/repmgr.conf --log-to-file'"));
        try {
            Diagnosis d = doctor("n2");

            assertThat(d.failed()).containsExactly("promote_command");
            assertThat(d.exitCode()).isEqualTo(1);
            assertThat(d.message("promote_command")).contains("does not run pgflip promote");
            assertThat(d.fix("promote_command")).contains("promote_command='/usr/bin/pgflip-promote /etc/repmgr.conf ");
        } finally {
            Files.writeString(conf, original);
        }
    }

    @Test
    @Order(6)
    void aStoppedRepmgrdIsOneFailure() throws Exception {
        LabNode n2 = node("n2");
        long pid = lab.state().repmgrdPids().get("n2");
        Pids.signal(lab.commands(), pid, "TERM");
        try {
            await("n2's repmgrd to exit", () -> !Pids.alive(pid));

            Diagnosis d = doctor("n2");

            assertThat(d.failed()).containsExactly("repmgrd");
            assertThat(d.exitCode()).isEqualTo(1);
            assertThat(d.message("repmgrd")).contains("does not run");
            assertThat(d.fix("repmgrd")).contains("repmgrd -f /etc/repmgr.conf");
        } finally {
            long restarted = lab.postgres(n2).startRepmgrd();
            LabState.load(lab.layout().stateFile()).withRepmgrd("n2", restarted).save(lab.layout().stateFile());
        }
        await("n2's new repmgrd to register", () -> sql("198.18.0.12", "repmgr", "SELECT repmgr.repmgrd_is_running()").equals("t"));
    }

    @Test
    @Order(7)
    void twoBrokenSettingsAreTwoFailuresEvenBeforeARestart() throws Exception {
        // wal_log_hints only changes at a restart: the doctor judges the value the next restart brings.
        alterSystem("SET wal_log_hints = off", "SET synchronous_commit = 'local'");
        try {
            await("the changes to be pending on n2", () -> sql(LabFixture.N2, "postgres",
                    "SELECT pending_restart FROM pg_settings WHERE name = 'wal_log_hints'").equals("t")
                    && sql(LabFixture.N2, "postgres", "SHOW synchronous_commit").equals("local"));

            Diagnosis d = doctor("n2");

            assertThat(d.failed()).containsExactlyInAnyOrder("wal_log_hints", "synchronous_replication");
            assertThat(d.exitCode()).isEqualTo(2);
            assertThat(d.message("wal_log_hints")).startsWith("wal_log_hints=on (off after the next restart)");
            assertThat(d.message("synchronous_replication")).contains("synchronous_commit=local");
        } finally {
            alterSystem("RESET wal_log_hints", "RESET synchronous_commit");
        }
        await("n2's settings to be back", () -> sql(LabFixture.N2, "postgres",
                "SELECT pending_restart FROM pg_settings WHERE name = 'wal_log_hints'").equals("f")
                && sql(LabFixture.N2, "postgres", "SHOW synchronous_commit").equals("on"));
    }

    @Test
    @Order(8)
    void everyBreakWasUndone() throws Exception {
        Diagnosis d = doctor("n2");

        assertThat(d.failed()).as(d.raw()).isEmpty();
        assertThat(d.exitCode()).isZero();
    }

    private static Diagnosis doctor(String node) throws Exception {
        LabCli.Result run = fixture.cli().run("doctor", "--lab", node, "--lab-dir", fixture.dir().toString(), "-o", "json");
        assertThat(run.stdout()).as("stdout of doctor --lab %s; stderr: %s", node, run.stderr()).startsWith("{");
        JsonNode json = JSON.readTree(run.stdout());
        Map<String, String> status = new LinkedHashMap<>();
        Map<String, JsonNode> checks = new LinkedHashMap<>();
        json.path("checks").forEach(c -> {
            status.put(c.path("check").asText(), c.path("status").asText());
            checks.put(c.path("check").asText(), c);
        });
        assertThat(json.path("failed").asInt()).isEqualTo(run.exitCode());
        return new Diagnosis(run.exitCode(), status, checks, run.stdout());
    }

    private static LabNode node(String name) {
        return lab.topology().node(name);
    }

    private static void alterSystem(String... changes) throws Exception {
        try (Connection c = LabFixture.connect(LabFixture.N2); Statement s = c.createStatement()) {
            for (String change : changes) {
                s.execute("ALTER SYSTEM " + change);
            }
            s.execute("SELECT pg_reload_conf()");
        }
    }

    /** One value from a fresh connection as postgres (a new session sees a reloaded setting). */
    private static String sql(String host, String database, String query) throws Exception {
        try (Connection c = lab.appSql().connect(host, database, 2); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(query)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static void awaitHolder(DigitalOceanClient api, String flip, long droplet) throws Exception {
        await("the floating IP on droplet " + droplet, () -> {
            FloatingIp f = api.getFloatingIp(flip, Deadline.after(Duration.ofSeconds(5)));
            return f.isHeldBy(droplet) && !f.locked();
        });
    }

    private static void await(String what, Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.call()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited 20 s for " + what);
            }
            Thread.sleep(100);
        }
    }
}
