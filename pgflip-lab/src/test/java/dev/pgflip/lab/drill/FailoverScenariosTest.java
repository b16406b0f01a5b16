package dev.pgflip.lab.drill;

import static dev.pgflip.lab.drill.RunStageTest.N4;
import static dev.pgflip.lab.drill.RunStageTest.START;
import static dev.pgflip.lab.drill.RunStageTest.stage;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The faults whose later steps act on the new primary, when the failover did not complete: they say what they did not
 * do without naming a standby as the new primary (which one repmgr promotes is not known in advance), and touch no
 * node (the lab is null: any action on it would throw).
 */
class FailoverScenariosTest {

    @Test
    void aStaleRestartWithoutACompletedFailoverKillsNothingAndSaysSo() throws Exception {
        for (boolean throughGuard : new boolean[] {true, false}) {
            ByteArrayOutputStream steps = new ByteArrayOutputStream();
            StaleRestartScenario scenario = new StaleRestartScenario(null, null, START, throughGuard);

            scenario.afterRecovery(stage(false, Optional.of(N4), steps));
            scenario.afterLoad();
            scenario.cleanUp();

            assertThat(steps.toString()).contains("run 1: the failover did not complete: the new primary is not killed,"
                    + " n1 not restarted").doesNotContain("n2").doesNotContain("n4");
            assertThat(scenario.phases()).isEmpty();
        }
    }

    @Test
    void theWitnessIsNotKilledWithoutACompletedFailover() throws Exception {
        ByteArrayOutputStream steps = new ByteArrayOutputStream();
        WitnessAfterFailoverScenario scenario = new WitnessAfterFailoverScenario(null, START);

        scenario.afterRecovery(stage(false, Optional.empty(), steps));

        assertThat(steps.toString()).contains("run 1: the failover did not complete: the witness is not killed")
                .doesNotContain("n2");
        assertThat(scenario.phases()).isEmpty();
    }

    @Test
    void aSlowApiRunWaitsForTheHookOfTheStandbyThatTookTheWritesOrOfAnyWhenNoneDid() throws Exception {
        ApiSlowScenario unknown = new ApiSlowScenario(null, START, Duration.ofSeconds(8));
        ApiSlowScenario onN4 = new ApiSlowScenario(null, START, Duration.ofSeconds(8));
        ByteArrayOutputStream steps = new ByteArrayOutputStream();

        unknown.afterRecovery(stage(false, Optional.empty()));
        onN4.afterRecovery(stage(false, Optional.of(N4), steps));

        assertThat(unknown.hookResultNodes()).containsExactly("n2", "n4");
        assertThat(onN4.hookResultNodes()).containsExactly("n4");
        assertThat(steps.toString()).contains("the failover did not complete while the API was slow: n1 is not"
                + " rejoined inside the run").doesNotContain("n2").doesNotContain("n4");
    }
}
