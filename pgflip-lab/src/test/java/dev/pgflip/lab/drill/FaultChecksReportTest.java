package dev.pgflip.lab.drill;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A fault's own checks in drill.json, in the summary's verdict and on the page. */
class FaultChecksReportTest {

    private static DrillResult staleRestart() {
        DrillResult kill = DrillSamples.realistic(1);
        RunResult held = DrillSamples.withChecks(kill, 1, "stale-restart",
                Map.of("second_kill", 8_000L, "restarted", 9_500L), null, List.of(
                        new RunResult.Check("first_failover_done", true, "failover to n2 completed"),
                        new RunResult.Check("stale_primary_took_no_writes", true, "n1 acknowledged 0 direct write tick(s)")));
        RunResult failed = DrillSamples.withChecks(kill, 2, "stale-restart",
                Map.of("second_kill", 7_000L, "restarted", 8_400L), null, List.of(
                        new RunResult.Check("first_failover_done", true, "failover to n2 completed"),
                        new RunResult.Check("stale_primary_took_no_writes", false,
                                "n1 acknowledged 35 direct write tick(s) <after> its restart & more")));
        return DrillResult.of("stale-restart", kill.clients(), List.of(held, failed));
    }

    @Test
    void aCheckThatFailedInOneRunFailsTheFaultAndNamesThatRun() {
        DrillResult.Summary summary = staleRestart().summary();

        assertThat(summary.checks()).containsOnlyKeys("first_failover_done", "stale_primary_took_no_writes");
        assertThat(summary.checks().get("first_failover_done")).isEqualTo(new DrillResult.CheckSummary(2, 2, null));
        DrillResult.CheckSummary writes = summary.checks().get("stale_primary_took_no_writes");
        assertThat(writes.passedRuns()).isEqualTo(1);
        assertThat(writes.firstFailure()).startsWith("run 2: n1 acknowledged 35 direct write tick(s)");
        assertThat(summary.lostAckedWrites()).isZero();
        assertThat(summary.passed()).as("every other check held").isFalse();
    }

    @Test
    void checksAndPhasesAreInTheJsonAndReadBack(@TempDir Path tmp) throws Exception {
        DrillResult result = staleRestart();
        DrillReport.ReportFiles files = DrillReport.write(result, tmp);

        JsonNode json = new ObjectMapper().readTree(files.json().toFile());
        JsonNode run = json.path("runs").get(1);
        assertThat(run.path("checks").get(1).path("name").asText()).isEqualTo("stale_primary_took_no_writes");
        assertThat(run.path("checks").get(1).path("passed").asBoolean()).isFalse();
        assertThat(run.path("phases").path("restarted").asLong()).isEqualTo(8_400);
        assertThat(run.has("api_calls_delayed")).isFalse();
        assertThat(json.path("summary").path("checks").path("stale_primary_took_no_writes").path("passed_runs").asInt())
                .isEqualTo(1);
        assertThat(new ObjectMapper().readValue(files.json().toFile(), DrillResult.class)).isEqualTo(result);
    }

    @Test
    void faultsWithoutChecksOfTheirOwnKeepTheirJson() throws Exception {
        JsonNode json = new ObjectMapper().readTree(DrillReport.toJson(DrillSamples.realistic(1)));

        assertThat(json.path("runs").get(0).has("checks")).isFalse();
        assertThat(json.path("runs").get(0).has("phases")).isFalse();
        assertThat(json.path("summary").has("checks")).isFalse();
        assertThat(DrillSamples.realistic(1).summary().passed()).isTrue();
    }

    @Test
    void thePageShowsEachCheckInTheSummaryAndWithItsFactsInTheRun() {
        String html = DrillReport.html(staleRestart());

        assertThat(html).contains("check first_failover_done</th><td class=\"num\">2 of 2 runs</td>"
                + "<td class=\"pass\">\u2714 pass");
        assertThat(html).contains("check stale_primary_took_no_writes</th><td class=\"num\">1 of 2 runs</td>"
                + "<td class=\"fail\">\u2718 FAIL");
        assertThat(html).contains("Checks of this fault");
        assertThat(html).contains("n1 acknowledged 35 direct write tick(s) &lt;after&gt; its restart &amp; more");
        assertThat(html).contains("\u2718 a check failed");
    }
}
