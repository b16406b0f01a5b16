package dev.pgflip.lab.drill;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pgflip.lab.LabCli;
import dev.pgflip.lab.LabFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The two faults where the floating IP is most easily wrong, one real run each under load: a silent partition of the
 * primary from the standby and the witness (the application still reaching it), and the DigitalOcean API refusing
 * connections from the kill of the primary on. The outage lasts {@value #API_DOWN_SECONDS} s here instead of the
 * drill's default 60 s: still past the end of the promote hook's 20 s deadline (which starts 2-5 s after the kill,
 * once repmgrd has promoted), so the hook fails and {@code pgflip watch} has to finish the job, in half the time.
 */
class SplitBrainAndApiOutageIT {
    private static final int API_DOWN_SECONDS = 30;

    private static LabFixture lab;
    private static LabCli.Result result;
    private static JsonNode partition;
    private static JsonNode apiDown;

    @BeforeAll
    static void runTheDrill() throws Exception {
        lab = LabFixture.up();
        Path json = lab.dir().resolve("out.json");
        // Not ok(): a failed check exits 1 but still writes the results, which the tests below read one by one.
        result = lab.cli().run(Duration.ofMinutes(8), "drill", "--dir", lab.dir().toString(),
                "--fault", "partition,api-down", "--runs", "1", "--clients", "pgflip",
                "--api-down-seconds", String.valueOf(API_DOWN_SECONDS),
                "--json", json.toString(), "--report", lab.dir().resolve("report").toString());
        assertThat(json).as("drill output:\n" + result.stdout() + result.stderr()).exists();
        JsonNode drill = new ObjectMapper().readTree(json.toFile());
        // Written after each fault: a drill that broke down on the second one leaves only the first.
        assertThat(drill.path("faults")).as("drill output:\n" + result.stdout() + result.stderr()).hasSize(2);
        partition = drill.path("faults").get(0).path("runs").get(0);
        apiDown = drill.path("faults").get(1).path("runs").get(0);
    }

    @AfterAll
    static void down() throws Exception {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void thePartitionedPrimaryIsReplacedByTheStandby() {
        // The drill checked the partition itself (pg_isready both ways, and from the application) or it would have
        // stopped; here: repmgr failed over to n2 and the FLIP followed.
        assertThat(partition.path("fault_node").asText()).isEqualTo("n1");
        assertThat(partition.path("new_primary").asText()).isEqualTo("n2");
        assertThat(partition.path("promoted_ms").isNumber()).as("n2 promoted").isTrue();
        assertThat(partition.path("flip_moved_ms").isNumber()).as("FLIP assigned to n2").isTrue();
        assertThat(partition.path("write_unavailable_ms").isNumber()).as("writes resumed on n2").isTrue();
    }

    @Test
    void theOldPrimaryIsFencedSoTwoNodesNeverAcceptWritesAtOnce() {
        assertThat(partition.path("dual_writable_ms").asLong()).as("ms in which n1 and n2 both acknowledged writes")
                .isZero();
        assertThat(partition.path("writable_ticks").path("n1").asInt()).as("the probe reached n1 (before the fault)")
                .isPositive();
        assertThat(partition.path("writable_ticks").path("n2").asInt()).as("the probe reached n2 (once promoted)")
                .isPositive();
        assertThat(partition.path("flip_on_new_primary").asBoolean()).as("FLIP on n2 at the end, by interface and API")
                .isTrue();
        assertThat(partition.path("lost_acked_writes").asLong()).isZero();
    }

    @Test
    void theOldPrimaryFencedItselfBeforeTheStandbyWasPromoted() throws Exception {
        long faultMs = Instant.parse(partition.path("fault_at").asText()).toEpochMilli();
        List<JsonNode> fenced = events("pgflip_watch_fenced", "n1", faultMs);
        assertThat(fenced).as("pgflip watch on n1 fenced its node").isNotEmpty();
        assertThat(fenced.get(0).path("kind").asText()).isEqualTo("ISOLATED");
        long fencedMs = Instant.parse(fenced.get(0).path("ts").asText()).toEpochMilli() - faultMs;
        assertThat(fencedMs).as("fenced before n2 became writable (ms from the partition)")
                .isLessThan(partition.path("promoted_ms").asLong());
    }

    @Test
    void afterThePartitionHealsTheOldPrimaryRejoinsAsAStandby() throws Exception {
        // The api-down run came next and started only from a healthy cluster with synchronous replication in force;
        // its own failover went back to n1, and the failback after it rejoined n2.
        assertThat(apiDown.path("old_primary").asText()).isEqualTo("n2");
        assertThat(apiDown.path("new_primary").asText()).isEqualTo("n1");
        try (Connection c = LabFixture.connect(LabFixture.N2); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT pg_is_in_recovery()")) {
            rs.next();
            assertThat(rs.getBoolean(1)).as("n2 is a standby again").isTrue();
        }
    }

    @Test
    void thePromoteHookSucceedsAndLeavesTheMoveToTheWatchWhileTheApiIsDown() throws Exception {
        long faultMs = Instant.parse(apiDown.path("fault_at").asText()).toEpochMilli();
        List<JsonNode> deferred = events("pgflip_flip_deferred", "n1", faultMs);
        assertThat(deferred).as("the promote hook on n1 could not move the FLIP and said so").isNotEmpty();
        long deferredAt = Instant.parse(deferred.get(0).path("ts").asText()).toEpochMilli();
        assertThat(deferredAt - faultMs).as("the hook handed over while the API was still down")
                .isLessThan(API_DOWN_SECONDS * 1000L);
        assertThat(events("pgflip_promote_failed", "n1", faultMs)).as("repmgr must not record a failed promotion")
                .isEmpty();
    }

    @Test
    void theWatchMovesTheFlipOnceTheApiAnswersAgain() throws Exception {
        assertThat(apiDown.path("api_restored_ms").asLong()).as("the API refused for the whole outage")
                .isGreaterThanOrEqualTo(API_DOWN_SECONDS * 1000L);
        assertThat(apiDown.path("flip_converged_after_restore_ms").isNumber()).as("the FLIP moved after the API returned")
                .isTrue();
        assertThat(apiDown.path("flip_converged_after_restore_ms").asLong()).isNotNegative();
        assertThat(apiDown.path("flip_on_new_primary").asBoolean()).isTrue();
        // pgflip-jdbc writes to the promoted node directly while the FLIP waits for the API (direct writes).
        assertThat(apiDown.path("write_unavailable_ms").asLong()).as("writes came back before the API did")
                .isLessThan(apiDown.path("api_restored_ms").asLong());
        assertThat(apiDown.path("lost_acked_writes").asLong()).isZero();
        assertThat(apiDown.path("dual_writable_ms").asLong()).isZero();
        long faultMs = Instant.parse(apiDown.path("fault_at").asText()).toEpochMilli();
        assertThat(events("pgflip_watch_flip_assigned", "n1", faultMs)).as("pgflip watch on n1 assigned the FLIP")
                .isNotEmpty();
    }

    private static List<JsonNode> events(String event, String node, long fromMs) throws Exception {
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> matching = new java.util.ArrayList<>();
        for (String line : Files.readAllLines(lab.dir().resolve("logs/events.jsonl"))) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode e = json.readTree(line);
            if (e.path("event").asText().equals(event) && node.equals(e.path("node").asText())
                    && Instant.parse(e.path("ts").asText()).toEpochMilli() >= fromMs) {
                matching.add(e);
            }
        }
        return matching;
    }
}
