package dev.pgflip.lab.drill;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pgflip.lab.LabFixture;
import dev.pgflip.lab.OnTheLab;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Faults that must not cause a failover, on the real lab under load: the standby or the witness is killed; the
 * primary keeps the floating IP, writes go on (after the primary's watcher degrades synchronous replication when its
 * standby is gone) and nothing acknowledged is lost.
 */
class NoFailoverFaultsIT extends OnTheLab {
    @Test
    void standbyDownKeepsThePrimaryWritingAfterSynchronousReplicationDegrades() throws Exception {
        JsonNode run = drill("standby-down");
        assertThat(run.path("fault_node").asText()).isEqualTo("n2");
        assertThat(run.path("new_primary").asText()).isEqualTo("n1").isEqualTo(run.path("old_primary").asText());
        assertThat(run.path("flip_on_new_primary").asBoolean()).as("FLIP still on n1").isTrue();
        assertThat(run.path("lost_acked_writes").asLong()).isZero();
        assertThat(run.path("dual_writable_ms").asLong()).as("only n1 ever acknowledged a direct write").isZero();
        assertThat(run.path("writable_ticks").path("n1").asInt()).isPositive();
        assertThat(run.path("writable_ticks").path("n2").asInt()).isZero();
        assertThat(run.path("clients").path("pgflip").path("write_unavailable_ms").isNumber()).as("writes resumed").isTrue();
        String watch = Files.readString(lab.dir().resolve("logs/n1-watch.log"));
        assertThat(watch).contains("\"event\":\"sync_degraded\"");
        assertThat(watch.lastIndexOf("sync_enabled")).as("re-enabled once n2 streamed again")
                .isGreaterThan(watch.lastIndexOf("sync_degraded"));
    }

    @Test
    void witnessDownChangesNothing() throws Exception {
        JsonNode run = drill("witness-down");
        assertThat(run.path("fault_node").asText()).isEqualTo("n3");
        assertThat(run.path("new_primary").asText()).isEqualTo(run.path("old_primary").asText());
        assertThat(run.path("flip_on_new_primary").asBoolean()).isTrue();
        assertThat(run.path("lost_acked_writes").asLong()).isZero();
        assertThat(run.path("promoted_ms").isNull()).as("no promotion").isTrue();
        assertThat(run.path("dual_writable_ms").asLong()).isZero();
    }

    private static JsonNode drill(String fault) throws Exception {
        // Inside the lab directory, which lab down removes with everything else.
        Path json = lab.dir().resolve("drill-" + fault + ".json");
        Path report = lab.dir().resolve("report-" + fault);
        lab.cli().ok("drill", "--dir", lab.dir().toString(), "--fault", fault, "--runs", "1", "--clients", "pgflip",
                "--json", json.toString(), "--report", report.toString());
        return new ObjectMapper().readTree(json.toFile()).path("runs").get(0);
    }
}
