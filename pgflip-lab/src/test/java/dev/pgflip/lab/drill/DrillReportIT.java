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
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real one-run drill (kill -9 of the primary under pgflip and plain HikariCP load), and its report's numbers
 * checked against the cluster itself and against each other: nothing here is canned.
 */
class DrillReportIT {
    private static LabFixture lab;
    private static JsonNode drill;
    private static Path reportDir;

    @BeforeAll
    static void runOneDrill() throws Exception {
        lab = LabFixture.up();
        reportDir = lab.dir().resolve("report");
        Path json = lab.dir().resolve("out.json");
        lab.cli().ok("drill", "--dir", lab.dir().toString(), "--fault", "kill", "--runs", "1", "--clients", "pgflip,hikari",
                "--json", json.toString(), "--report", reportDir.toString());
        drill = new ObjectMapper().readTree(json.toFile());
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
        JsonNode run = drill.path("runs").get(0);
        assertThat(run.path("lost_acked_writes").asLong()).isZero();
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
        assertThat(drill.path("summary").path("lost_acked_writes").asLong()).isZero();
        assertThat(drill.path("summary").path("flip_holder_correct").asBoolean()).isTrue();
    }

    @Test
    void theTimelineRunsInCausalOrderFromTheFault() {
        JsonNode run = drill.path("runs").get(0);
        List<Long> ordered = new ArrayList<>();
        for (String event : List.of("fault injected", "agent called", "standby promoted", "assign action created",
                "assign action completed", "first write OK (pgflip)")) {
            ordered.add(at(run, event));
        }
        assertThat(ordered).doesNotContainNull().isSorted();
        assertThat(run.path("promoted_ms").asLong()).isEqualTo(at(run, "standby promoted"));
        assertThat(run.path("flip_moved_ms").asLong()).isEqualTo(at(run, "assign action completed"));
        assertThat(run.path("write_unavailable_ms").asLong()).isEqualTo(at(run, "first write OK (pgflip)"))
                .isGreaterThan(run.path("promoted_ms").asLong());
    }

    @Test
    void theReportShowsTheseNumbersAndOneBarPerNonEmptyBucket() throws Exception {
        String html = Files.readString(reportDir.resolve("index.html"));
        JsonNode run = drill.path("runs").get(0);
        assertThat(html).contains(run.path("write_unavailable_ms").asText() + " ms")
                .contains(run.path("flip_moved_ms").asText() + " ms");
        long nonEmpty = 0;
        for (JsonNode series : run.path("series")) {
            for (String key : List.of("writes_ok", "writes_failed", "reads_ok", "reads_failed")) {
                for (JsonNode count : series.path(key)) {
                    nonEmpty += count.asInt() > 0 ? 1 : 0;
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
        Files.walkFileTree(lab.dir(), new java.nio.file.SimpleFileVisitor<>() {
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
        assertThat(searched).extracting(p -> lab.dir().relativize(p).toString())
                .contains("logs/events.jsonl", "logs/emulator.log", "logs/n1-watch.log", "logs/n2-repmgr.log",
                        "out.json", "report/index.html", "report/drill.json", "n2/pgflip.yaml");
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
