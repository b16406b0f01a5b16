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
                "link-down", "freeze-mid-query", "partition", "standby-down", "witness-down", "api-429", "api-500", "api-down", "failback",
                "pair-partition", "witness-partition", "stale-restart", "stale-restart-by-hand", "cdc-stream", "witness-after-failover", "blip", "brief-freeze", "thaw-at-election",
                "api-slow", "switchover", "standby-behind", "pair-heal-kill", "hand-promote");
    }

    @Test
    void onALabWithOneStandbyAllLeavesOutWhatNeedsTwoAndNamingItSaysHowToMakeSuchALab() {
        assertThat(DrillFault.parseList("all", 1)).doesNotContain(DrillFault.STANDBY_BEHIND, DrillFault.PAIR_HEAL_KILL)
                .hasSize(DrillFault.values().length - 2);
        assertThat(DrillFault.parseList("all", 2)).contains(DrillFault.STANDBY_BEHIND, DrillFault.PAIR_HEAL_KILL);
        assertThat(DrillFault.parseList("kill,standby-behind", 2)).containsExactly(DrillFault.KILL,
                DrillFault.STANDBY_BEHIND);
        assertThatThrownBy(() -> DrillFault.parseList("kill,standby-behind", 1)).isInstanceOf(LabException.class)
                .hasMessageContaining("'standby-behind' needs a lab with 2 or more standbys, this one has 1")
                .hasMessageContaining("./pgflip lab up --standbys 2");
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
    void faultsThatMustNotMoveAnythingAreTheOnesOnTheStandbyTheWitnessOrABriefOrPartialCut() {
        List<DrillFault> stays = List.of(DrillFault.values()).stream()
                .filter(f -> f.outcome() == DrillFault.Outcome.STAYS).toList();

        assertThat(stays).containsExactly(DrillFault.STANDBY_DOWN, DrillFault.WITNESS_DOWN,
                DrillFault.WITNESS_PARTITION, DrillFault.CDC_STREAM, DrillFault.BLIP, DrillFault.BRIEF_FREEZE);
        assertThat(stays).noneMatch(DrillFault::expectsFailover);
        assertThat(DrillFault.STANDBY_DOWN.targetRole()).isEqualTo("standby");
        assertThat(DrillFault.CDC_STREAM.targetRole()).isEqualTo("standby");
        assertThat(DrillFault.PARTITION.targetRole()).isEqualTo("primary");
    }

    @Test
    void onlyThePairPartitionAndTheThawAtElectionMayGoEitherWayAndAreNotAwaitedAsAFailover() {
        assertThat(List.of(DrillFault.values())).filteredOn(f -> f.outcome() == DrillFault.Outcome.EITHER)
                .containsExactly(DrillFault.PAIR_PARTITION, DrillFault.THAW_AT_ELECTION);
        assertThat(DrillFault.PAIR_PARTITION.expectsFailover()).isFalse();
        assertThat(DrillFault.THAW_AT_ELECTION.expectsFailover()).isFalse();
        assertThat(DrillFault.STALE_RESTART.expectsFailover()).as("its first act is a kill failover").isTrue();
        assertThat(DrillFault.WITNESS_AFTER_FAILOVER.expectsFailover()).isTrue();
        assertThat(DrillFault.API_SLOW.expectsFailover()).isTrue();
    }

    @Test
    void apiFaultSettingsAreCheckedOnce() {
        assertThat(FaultSettings.defaults().apiOutage()).isEqualTo(Duration.ofSeconds(60));
        assertThat(FaultSettings.defaults().apiLatency()).isEqualTo(Duration.ofSeconds(8));
        Duration minute = Duration.ofSeconds(60);
        Duration eight = Duration.ofSeconds(8);
        assertThatThrownBy(() -> new FaultSettings(0, minute, eight)).hasMessageContaining("--api-errors 0");
        assertThatThrownBy(() -> new FaultSettings(3, Duration.ofSeconds(2), eight))
                .hasMessageContaining("--api-down-seconds 2");
        assertThatThrownBy(() -> new FaultSettings(3, minute, Duration.ofSeconds(31)))
                .hasMessageContaining("--api-latency-seconds 31").hasMessageContaining("1 to 30");
    }
}
