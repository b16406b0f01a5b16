package dev.pgflip.agent.rejoin;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ControlDataTest {

    @Test
    void aCleanlyStoppedNodeIsOnItsCheckpointsTimeline() {
        ControlData c = ControlData.parse(ControlDataSamples.SHUT_DOWN_ON_1).orElseThrow();

        assertThat(c).isEqualTo(new ControlData("shut down", 1, 0));
        assertThat(c.timeline()).isEqualTo(1);
    }

    @Test
    void aNodeKilledBeforeThePostPromotionCheckpointEndedIsOnItsNewTimelineNotTheCheckpointsOne() {
        ControlData c = ControlData.parse(ControlDataSamples.PROMOTED_TO_2_AND_KILLED).orElseThrow();

        assertThat(c.checkpointTimeline()).isEqualTo(1);
        assertThat(c.minRecoveryTimeline()).isEqualTo(2);
        assertThat(c.clusterState()).isEqualTo("in production");
        assertThat(c.timeline()).isEqualTo(2);
    }

    @Test
    void outputWithoutTheTimelineLinesIsNotReadAsTimelineZero() {
        assertThat(ControlData.parse("pg_controldata: error: could not open file \"global/pg_control\"")).isEmpty();
        assertThat(ControlData.parse(ControlDataSamples.SHUT_DOWN_ON_1.replace("Min recovery ending loc's timeline",
                "Min recovery ending loc's tli"))).isEmpty();
        assertThat(ControlData.parse("Latest checkpoint's TimeLineID:       x\nMin recovery ending loc's timeline: 0"))
                .isEmpty();
    }
}
