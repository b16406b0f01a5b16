package dev.pgflip.lab.drill;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pgflip.lab.LabFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real drill over three faults, one run each, under pgflip and plain HikariCP load: kill -9 of the primary; kill -9
 * while the DigitalOcean API answers 500 three times; and failback, three failovers back and forth with a rejoin after
 * each under one load. The {@code faults} document and the report's numbers are checked against the cluster itself,
 * the emulator and each other: nothing here is canned.
 */
class DrillReportIT {
    private static LabFixture lab;
    private static JsonNode drill;
    private static JsonNode kill;
    private static JsonNode api500;
    private static JsonNode failback;
    private static Path reportDir;

    @BeforeAll
    static void runTheDrill() throws Exception {
        lab = LabFixture.up();
        reportDir = lab.dir().resolve("report");
        Path json = lab.dir().resolve("out.json");
        lab.cli().ok(Duration.ofMinutes(8), "drill", "--dir", lab.dir().toString(), "--fault", "kill,api-500,failback",
                "--runs", "1", "--clients", "pgflip,hikari", "--json", json.toString(), "--report", reportDir.toString());
        drill = new ObjectMapper().readTree(json.toFile());
        kill = drill.path("faults").get(0);
        api500 = drill.path("faults").get(1);
        failback = drill.path("faults").get(2);
    }

    @AfterAll
    static void down() throws Exception {
        // the report lives in the lab directory: lab down removes it
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void everyAcknowledgedWriteIsOnTheNewPrimaryAndTheCountsMatchTheTable() throws Exception {
        assertThat(kill.path("fault").asText()).isEqualTo("kill");
        JsonNode run = kill.path("runs").get(0);
        assertThat(run.path("lost_acked_writes").asLong()).isZero();
        assertThat(run.path("dual_writable_ms").asLong()).as("two nodes writable at once").isZero();
        // The probe behind that zero reached both nodes: the old primary before the kill, the new one after it.
        assertThat(run.path("writable_ticks").path(run.path("old_primary").asText()).asInt()).isPositive();
        assertThat(run.path("writable_ticks").path(run.path("new_primary").asText()).asInt()).isPositive();
        // Each run empties drill_writes first: the rows themselves are counted for the last run (below).
        for (String client : List.of("pgflip", "hikari")) {
            assertThat(run.path("clients").path(client).path("acked_writes").asLong()).as(client + " acknowledged writes")
                    .isPositive();
            assertThat(run.path("clients").path(client).path("lost_acked_writes").asLong()).isZero();
        }
        assertThat(kill.path("summary").path("lost_acked_writes").asLong()).isZero();
        assertThat(kill.path("summary").path("flip_holder_correct").asBoolean()).isTrue();
    }

    @Test
    void failbackHeldEveryGuaranteeInEachOfItsThreeHops() {
        assertThat(failback.path("fault").asText()).isEqualTo("failback");
        JsonNode hops = failback.path("runs").get(0).path("hops");
        assertThat(hops).hasSize(3);
        String expectedOld = failback.path("runs").get(0).path("old_primary").asText();
        for (JsonNode hop : hops) {
            String name = "hop " + hop.path("hop").asInt();
            assertThat(hop.path("old_primary").asText()).as(name + ": the node rejoined last time is killed")
                    .isEqualTo(expectedOld);
            assertThat(hop.path("new_primary").asText()).isNotEqualTo(expectedOld);
            assertThat(hop.path("write_unavailable_ms").isNumber()).as(name + ": writes resumed").isTrue();
            assertThat(hop.path("rejoined_ms").isNumber()).as(name + ": old primary rejoined").isTrue();
            assertThat(hop.path("acked_writes").asLong()).as(name).isPositive();
            assertThat(hop.path("lost_acked_writes").asLong()).as(name).isZero();
            assertThat(hop.path("dual_writable_ms").asLong()).as(name).isZero();
            assertThat(hop.path("flip_on_new_primary").asBoolean()).as(name).isTrue();
            expectedOld = hop.path("new_primary").asText();
        }
        assertThat(failback.path("summary").path("lost_acked_writes").asLong()).isZero();
        assertThat(failback.path("summary").path("flip_holder_correct").asBoolean()).isTrue();
    }

    @Test
    void theLastRunsAcknowledgedWritesAreAllInTheTableOfThePrimary() throws Exception {
        // Failback's whole run, three failovers and three rejoins, on the primary it ended on (its last hop's
        // rejoin is inside the run, so nothing moved after it).
        JsonNode run = failback.path("runs").get(0);
        String newPrimary = run.path("new_primary").asText();
        String host = newPrimary.equals("n1") ? LabFixture.N1 : LabFixture.N2;
        for (String client : List.of("pgflip", "hikari")) {
            long acked = run.path("clients").path(client).path("acked_writes").asLong();
            try (Connection c = LabFixture.connect(host); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT count(*) FROM drill_writes WHERE client = '" + client + "'")) {
                rs.next();
                // The table also holds writes whose acknowledgement was lost with the old primary: never fewer rows.
                assertThat(rs.getLong(1)).as(client + " rows vs acknowledged").isGreaterThanOrEqualTo(acked);
            }
            assertThat(acked).as(client + " acknowledged writes").isPositive();
        }
    }

    @Test
    void theAgentMetEveryInjectedApiErrorAndStillMovedTheFlip() {
        JsonNode run = api500.path("runs").get(0);
        assertThat(run.path("api_errors_injected").asInt()).isEqualTo(3);
        assertThat(run.path("api_errors_served").asInt()).as("500s answered to the agent").isEqualTo(3);
        assertThat(run.path("new_primary").asText()).isNotEqualTo(run.path("old_primary").asText());
        assertThat(run.path("flip_on_new_primary").asBoolean()).isTrue();
        assertThat(run.path("flip_moved_ms").isNumber()).as("assign action completed").isTrue();
        assertThat(run.path("write_unavailable_ms").isNumber()).as("writes resumed").isTrue();
        assertThat(run.path("lost_acked_writes").asLong()).isZero();
        assertThat(run.path("dual_writable_ms").asLong()).isZero();
        assertThat(api500.path("summary").path("api_errors_served").asInt()).isEqualTo(3);
    }

    @Test
    void theTimelineRunsInCausalOrderFromTheFault() {
        JsonNode run = kill.path("runs").get(0);
        List<Long> ordered = new ArrayList<>();
        for (String event : List.of("fault injected", "agent called", "standby promoted", "assign action created",
                "assign action completed")) {
            ordered.add(at(run, event));
        }
        assertThat(ordered).doesNotContainNull().isSorted();
        assertThat(run.path("promoted_ms").asLong()).isEqualTo(at(run, "standby promoted"));
        assertThat(run.path("flip_moved_ms").asLong()).isEqualTo(at(run, "assign action completed"));
        assertThat(at(run, "FLIP answering")).as("the prober reached the new primary through the moved address")
                .isGreaterThan(at(run, "assign action created"));
        // pgflip-jdbc may write to the promoted node before the FLIP has moved (direct writes), and may see the
        // promotion before the watcher's 100 ms role check records it: after the promote hook was called, then.
        assertThat(run.path("write_unavailable_ms").asLong()).isEqualTo(at(run, "first write OK (pgflip)"))
                .isGreaterThan(at(run, "agent called"));
    }

    @Test
    void theReportShowsEachFaultInItsSectionWithOneBarPerNonEmptyBucket() throws Exception {
        String html = Files.readString(reportDir.resolve("index.html"));
        assertThat(html).contains("<section id=\"fault-kill\">", "<section id=\"fault-api-500\">",
                "<section id=\"fault-failback\">", "injected API errors answered to the agent", "Failovers (hops)");
        long nonEmpty = 0;
        for (JsonNode fault : drill.path("faults")) {
            JsonNode run = fault.path("runs").get(0);
            assertThat(html).contains(run.path("write_unavailable_ms").asText() + " ms")
                    .contains(run.path("flip_moved_ms").asText() + " ms");
            for (JsonNode series : run.path("series")) {
                for (String key : List.of("writes_ok", "writes_failed", "reads_ok", "reads_failed")) {
                    for (JsonNode count : series.path(key)) {
                        nonEmpty += count.asInt() > 0 ? 1 : 0;
                    }
                }
            }
        }
        assertThat(nonEmpty).isPositive();
        assertThat(html.split("data-count=\"", -1).length - 1).isEqualTo(nonEmpty);
        assertThat(new ObjectMapper().readTree(reportDir.resolve("drill.json").toFile())).isEqualTo(drill);
    }

    /**
     * After lab up, a failover driven by repmgrd and the agent, and a drill with its report: the lab's API token is
     * in no file the lab wrote (agent, watch, repmgrd, emulator and event logs, generated configs, the report and its
     * JSON) and in no process's argv or environment on this machine. PostgreSQL's data directories are left out: the
     * token never reaches a database.
     */
    @Test
    void theLabsTokenIsInNoFileOfTheLabAndInNoProcessArgvOrEnvironment() throws Exception {
        byte[] token = Files.readString(lab.dir().resolve("secrets/do-token")).strip().getBytes();
        assertThat(token.length).isGreaterThan(16);
        List<Path> searched = new ArrayList<>();
        // The nodes' /etc (repmgr.conf, agent.yaml) and the installed package's logs are the lab's files too.
        for (Path root : List.of(lab.dir(), Path.of("/etc/netns/n1"), Path.of("/etc/netns/n2"), Path.of("/etc/netns/n3"),
                Path.of("/var/log/pgflip"))) {
        Files.walkFileTree(root, new java.nio.file.SimpleFileVisitor<>() {
            @Override
            public java.nio.file.FileVisitResult preVisitDirectory(Path d, java.nio.file.attribute.BasicFileAttributes a) {
                return d.getFileName().toString().equals("secrets") || d.getFileName().toString().equals("data")
                        ? java.nio.file.FileVisitResult.SKIP_SUBTREE : java.nio.file.FileVisitResult.CONTINUE;
            }

            @Override
            public java.nio.file.FileVisitResult visitFile(Path f, java.nio.file.attribute.BasicFileAttributes a)
                    throws java.io.IOException {
                if (a.isRegularFile()) {
                    assertThat(indexOf(Files.readAllBytes(f), token)).as("the token in " + f).isEqualTo(-1);
                    searched.add(f);
                }
                return java.nio.file.FileVisitResult.CONTINUE;
            }
        });
        }
        assertThat(searched).extracting(Path::toString).contains(lab.dir() + "/logs/events.jsonl",
                lab.dir() + "/logs/emulator.log", lab.dir() + "/logs/n1-watch.log", lab.dir() + "/logs/n2-repmgr.log",
                lab.dir() + "/out.json", lab.dir() + "/report/index.html", lab.dir() + "/report/drill.json",
                "/etc/netns/n2/pgflip/agent.yaml", "/etc/netns/n2/repmgr.conf");
        try (var pids = Files.list(Path.of("/proc"))) {
            for (Path proc : pids.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                for (String part : List.of("cmdline", "environ")) {
                    byte[] content;
                    try {
                        content = Files.readAllBytes(proc.resolve(part));
                    } catch (java.io.IOException gone) {
                        continue;
                    }
                    assertThat(indexOf(content, token)).as("the token in " + proc.resolve(part)).isEqualTo(-1);
                }
            }
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static Long at(JsonNode run, String eventPrefix) {
        for (JsonNode t : run.path("timeline")) {
            if (t.path("event").asText().contains(eventPrefix) && !t.path("at_ms").isNull()) {
                return t.path("at_ms").asLong();
            }
        }
        return null;
    }
}
