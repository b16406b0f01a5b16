package dev.pgflip.lab;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pgflip.lab.process.Pids;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@code pgflip status -o json} on the real lab, run as on a node (the lab's installed agent, in the node's namespace,
 * as postgres, with its generated pgflip.yaml), like {@code DoctorIT}: a healthy lab shows one primary with the floating
 * IP on it and exits 0 from every node; then one thing is broken at a time (the standby's watch stopped, the standby's
 * PostgreSQL stopped, the witness's repmgrd stopped) and status exits 5 naming exactly that. Every break is undone in a
 * finally block, and the last test proves the lab is healthy again. Beside status, the healthy lab's cost to the
 * witness: the data nodes' fencing probes start no backend there.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StatusIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration PROBE_WINDOW = Duration.ofSeconds(5);
    private static LabFixture fixture;
    private static Lab lab;

    /** One status run: its exit code, the JSON on stdout, and stderr for the failure messages. */
    record Look(int exitCode, JsonNode json, String stdout, String stderr) {
        List<String> codes() {
            List<String> codes = new ArrayList<>();
            json.path("problems").forEach(p -> codes.add(p.path("code").asText()
                    + (p.path("node").isNull() ? "" : "@" + p.path("node").asText())));
            return codes;
        }

        JsonNode node(String name) {
            for (JsonNode n : json.path("nodes")) {
                if (n.path("name").asText().equals(name)) {
                    return n;
                }
            }
            throw new AssertionError("no node " + name + " in " + stdout);
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n" + stdout + "\nstderr:\n" + stderr;
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
    void aHealthyLabShowsOnePrimaryWithTheFloatingIpOnItFromEveryNode() throws Exception {
        // Right after 'lab up' the primary's keeper may still be setting synchronous_standby_names.
        awaitLook("n1", l -> l.exitCode() == 0, "a healthy status after lab up");
        for (String from : List.of("n1", "n2", "n3")) {
            Look look = status(from);

            assertThat(look.exitCode()).as(look.toString()).isZero();
            assertThat(look.codes()).as(look.toString()).isEmpty();
            assertThat(look.json().path("healthy").asBoolean()).isTrue();
            assertThat(look.json().path("nodes_from").asText()).isEqualTo("local");
            assertThat(look.node("n1").path("role").asText()).isEqualTo("primary");
            assertThat(look.node("n2").path("role").asText()).isEqualTo("standby");
            assertThat(look.node("n3").path("role").asText()).isEqualTo("witness");
            assertThat(look.node("n1").path("timeline").asLong()).isEqualTo(look.node("n2").path("timeline").asLong());
            assertThat(look.node("n2").path("upstream").asText()).isEqualTo("n1");
            assertThat(look.node("n2").path("replication").path("state").asText()).isEqualTo("streaming");
            assertThat(look.node("n2").path("replication").path("sync_state").asText()).isEqualTo("quorum");
            assertThat(look.node("n1").path("watch").asText()).isEqualTo("alive");
            assertThat(look.node("n2").path("watch").asText()).isEqualTo("alive");
            assertThat(look.node("n1").path("fence").path("fenced").asBoolean()).isFalse();
            JsonNode holder = look.json().path("flip").path("holder");
            assertThat(holder.path("droplet_id").asLong()).isEqualTo(lab.topology().node("n1").dropletId());
            assertThat(holder.path("node").asText()).isEqualTo("n1");
            // The metadata service answers each droplet about itself: only n1's has the floating IP.
            JsonNode metadata = look.json().path("flip").path("metadata");
            assertThat(metadata.path("active").asBoolean()).as(from).isEqualTo(from.equals("n1"));
        }
        Look n1 = status("n1");
        assertThat(n1.json().path("flip").path("metadata").path("address").asText()).isEqualTo(lab.topology().flipIp());
        assertThat(n1.node("n1").path("local").asBoolean()).isTrue();
        assertThat(n1.node("n1").path("fence").path("record_known").asBoolean()).isTrue();

        Look text = run("n2", "status", "--config", LabLayout.NODE_AGENT_CONF.toString());
        assertThat(text.exitCode()).as(text.toString()).isZero();
        assertThat(text.stdout()).contains("Nothing needs attention.").contains(" n2 * | standby ")
                .doesNotContain(Files.readString(lab.layout().tokenFile()).strip());
    }

    /**
     * Not status itself, but the healthy lab it just saw: the data nodes' fencing probes start no backend on the
     * witness (a TCP connect to PostgreSQL's port forks one each time: 21 in 5 s from one watch to one peer before
     * {@code fencing.probe_port}). The data nodes answer each other on the probe port, so the witness is not asked while
     * they do. Counted with log_connections, which logs every accepted connection, turned on for the window alone.
     */
    @Test
    @Order(2)
    void theDataNodesProbesStartNoBackendOnTheWitnessWhileTheyReachEachOther() throws Exception {
        List<String> dataNodes = List.of(lab.topology().node("n1").address(), lab.topology().node("n2").address());
        Path log = lab.layout().postgresLog(lab.topology().node("n3"));
        logConnectionsOnTheWitness(true);
        String added;
        try {
            Thread.sleep(1_000); // the reload reaches the postmaster
            long from = Files.size(log);
            Thread.sleep(PROBE_WINDOW.toMillis());
            try (FileChannel ch = FileChannel.open(log)) {
                ByteBuffer buf = ByteBuffer.allocate((int) (ch.size() - from));
                ch.read(buf, from);
                added = new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8);
            }
        } finally {
            logConnectionsOnTheWitness(false);
        }
        long fromDataNodes = added.lines().filter(l -> dataNodes.stream()
                .anyMatch(a -> l.contains("connection received: host=" + a + " "))).count();
        // A probe port slow to answer once sends a round to PostgreSQL's port; without it there would be about 40.
        assertThat(fromDataNodes).as("connections from n1 and n2 to n3 in %s:%n%s", PROBE_WINDOW, added)
                .isLessThanOrEqualTo(2);
    }

    private static void logConnectionsOnTheWitness(boolean on) throws SQLException {
        try (Connection c = LabFixture.connect(LabFixture.N3); Statement s = c.createStatement()) {
            s.execute(on ? "ALTER SYSTEM SET log_connections = on" : "ALTER SYSTEM RESET log_connections");
            s.execute("SELECT pg_reload_conf()");
        }
    }

    @Test
    @Order(3)
    void aStoppedWatchOnTheStandbyIsWatchNotAlive() throws Exception {
        LabNode n2 = lab.topology().node("n2");
        long pid = lab.state().watchPids().get("n2");
        Pids.signal(lab.commands(), pid, "TERM");
        try {
            Await.awaitTrue(() -> !Pids.alive(pid), 20, "n2's pgflip watch to exit");
            Look look = awaitLook("n1", l -> l.exitCode() != 0, "status to see n2's watch gone");

            assertThat(look.exitCode()).as(look.toString()).isEqualTo(5);
            assertThat(look.codes()).as(look.toString()).containsExactly("watch_not_alive@n2");
            assertThat(look.node("n2").path("watch").asText()).isEqualTo("absent");
            assertThat(look.json().path("problems").get(0).path("fix").asText()).contains("pgflip-watch");
        } finally {
            long restarted = lab.postgres(n2).startWatch();
            LabState.load(lab.layout().stateFile()).withWatch("n2", restarted).save(lab.layout().stateFile());
        }
        awaitLook("n1", l -> l.exitCode() == 0, "n2's new watch to show");
    }

    @Test
    @Order(4)
    void aStoppedStandbyIsOneUnreachableNodeAndTheRestStaysHealthy() throws Exception {
        LabNode n1 = lab.topology().node("n1");
        LabNode n2 = lab.topology().node("n2");
        lab.commands().run(lab.postgres(n2).asPostgres("pg_ctl", "-D", lab.layout().dataDir(n2).toString(), "-m", "fast",
                "-w", "-t", "60", "stop"), Duration.ofSeconds(70));
        try {
            Look fromPrimary = status("n1");

            assertThat(fromPrimary.exitCode()).as(fromPrimary.toString()).isEqualTo(5);
            assertThat(fromPrimary.codes()).as(fromPrimary.toString()).containsExactly("node_unreachable@n2");
            assertThat(fromPrimary.node("n2").path("role").asText()).isEqualTo("unreachable");
            assertThat(fromPrimary.node("n2").path("watch").asText()).isEqualTo("unknown");
            assertThat(fromPrimary.node("n1").path("role").asText()).isEqualTo("primary");
            assertThat(fromPrimary.json().path("flip").path("holder").path("node").asText()).isEqualTo("n1");

            // On the stopped node itself: repmgr.nodes comes through the floating IP, from the primary.
            Look fromStandby = status("n2");
            assertThat(fromStandby.exitCode()).as(fromStandby.toString()).isEqualTo(5);
            assertThat(fromStandby.json().path("nodes_from").asText()).isEqualTo("floating IP " + lab.topology().flipIp());
            assertThat(fromStandby.codes()).as(fromStandby.toString()).containsExactly("node_unreachable@n2");
        } finally {
            lab.postgres(n2).start();
        }
        lab.awaitStreaming(n2, n1);
        lab.awaitEligible(n2);
    }

    /**
     * The witness's repmgrd, read from the witness's own shared memory (repmgr's upstream node and last-seen): stopped,
     * its last sight of the primary ages until status calls it stalled ({@code StatusRules.REPMGRD_STALE_S}).
     */
    @Test
    @Order(5)
    void aStoppedRepmgrdOnTheWitnessIsStalledAndTheHealthyOneFollowsThePrimary() throws Exception {
        Look healthy = awaitLook("n1", l -> l.exitCode() == 0, "a healthy status");
        assertThat(healthy.node("n3").path("upstream").asText()).as(healthy.toString()).isEqualTo("n1");

        LabNode n3 = lab.topology().node("n3");
        long pid = lab.state().repmgrdPids().get("n3");
        Pids.signal(lab.commands(), pid, "TERM");
        try {
            Await.awaitTrue(() -> !Pids.alive(pid), 20, "n3's repmgrd to exit");
            Look look = awaitLook("n2", l -> l.exitCode() != 0, "status to see n3's repmgrd stalled");

            assertThat(look.exitCode()).as(look.toString()).isEqualTo(5);
            assertThat(look.codes()).as(look.toString()).containsExactly("repmgrd_stalled@n3");
            assertThat(look.node("n3").path("repmgrd_upstream_last_seen_s").asInt()).isGreaterThanOrEqualTo(10);
        } finally {
            long restarted = lab.postgres(n3).startRepmgrd();
            LabState.load(lab.layout().stateFile()).withRepmgrd("n3", restarted).save(lab.layout().stateFile());
        }
        awaitLook("n1", l -> l.exitCode() == 0, "n3's new repmgrd to follow n1");
    }

    @Test
    @Order(6)
    void everyBreakWasUndone() throws Exception {
        Look look = awaitLook("n1", l -> l.exitCode() == 0, "the lab to be healthy again");

        assertThat(look.codes()).isEmpty();
        assertThat(status("n2").exitCode()).isZero();
    }

    private static Look status(String node) throws Exception {
        Look look = run(node, "status", "--config", LabLayout.NODE_AGENT_CONF.toString(), "-o", "json");
        assertThat(look.json()).as("stdout of status on %s is JSON: %s", node, look).isNotNull();
        assertThat(look.json().path("exit_code").asInt()).isEqualTo(look.exitCode());
        return look;
    }

    /** The lab's installed agent with {@code args}, in {@code node}'s namespace as postgres (stdout and stderr apart). */
    private static Look run(String node, String... args) throws Exception {
        LabCli.Result r = fixture.agent(RUN_TIMEOUT, node, args);
        JsonNode json = r.stdout().startsWith("{") ? JSON.readTree(r.stdout()) : null;
        return new Look(r.exitCode(), json, r.stdout(), r.stderr());
    }

    private interface LookCheck {
        boolean holds(Look look);
    }

    /** Runs status on {@code node} until {@code check} holds (30 s at most) and returns that run. */
    private static Look awaitLook(String node, LookCheck check, String what) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        Look last = status(node);
        while (!check.holds(last)) {
            if (System.nanoTime() > until) {
                throw new AssertionError("waited 30 s for " + what + "; last status:\n" + last);
            }
            Thread.sleep(500);
            last = status(node);
        }
        return last;
    }
}
