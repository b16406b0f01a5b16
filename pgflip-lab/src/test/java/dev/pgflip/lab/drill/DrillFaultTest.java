package dev.pgflip.lab.drill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pgflip.lab.LabException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class DrillFaultTest {

    @Test
    void allIsEveryFaultInTheDocumentedOrder() {
        assertThat(DrillFault.parseList("all")).extracting(DrillFault::cliName).containsExactly("kill", "freeze",
                "link-down", "partition", "standby-down", "witness-down", "api-429", "api-500", "api-down", "failback");
    }

    @Test
    void aListKeepsItsOrderAndToleratesSpacesAndATrailingComma() {
        assertThat(DrillFault.parseList("api-down, partition,KILL,")).containsExactly(DrillFault.API_DOWN,
                DrillFault.PARTITION, DrillFault.KILL);
        assertThat(DrillFault.parseList("kill")).containsExactly(DrillFault.KILL);
    }

    @Test
    void unknownRepeatedOrMissingFaultsAreRefusedByName() {
        assertThatThrownBy(() -> DrillFault.parseList("kill,explode")).isInstanceOf(LabException.class)
                .hasMessageContaining("unknown fault 'explode'").hasMessageContaining("partition, standby-down");
        assertThatThrownBy(() -> DrillFault.parseList("kill,kill")).hasMessageContaining("listed twice");
        assertThatThrownBy(() -> DrillFault.parseList(" , ")).hasMessageContaining("no fault given");
    }

    @Test
    void onlyFaultsOnTheStandbyOrWitnessExpectNoFailover() {
        List<DrillFault> noFailover = List.of(DrillFault.values()).stream().filter(f -> !f.expectsFailover()).toList();

        assertThat(noFailover).containsExactly(DrillFault.STANDBY_DOWN, DrillFault.WITNESS_DOWN);
        assertThat(DrillFault.STANDBY_DOWN.targetRole()).isEqualTo("standby");
        assertThat(DrillFault.PARTITION.targetRole()).isEqualTo("primary");
    }

    @Test
    void apiFaultSettingsAreCheckedOnce() {
        assertThat(FaultSettings.defaults().apiOutage()).isEqualTo(Duration.ofSeconds(60));
        assertThatThrownBy(() -> new FaultSettings(0, Duration.ofSeconds(60))).hasMessageContaining("API errors 0");
        assertThatThrownBy(() -> new FaultSettings(3, Duration.ofSeconds(2))).hasMessageContaining("API outage 2 s");
    }
}
