package dev.pgflip.agent.fence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgflip.agent.repmgr.RepmgrConf;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class IsolationBoundTest {
    private static final Duration PROBE = Duration.ofMillis(250);

    private static IsolationBound derive(String conf) {
        return IsolationBound.derive(RepmgrConf.parse(conf, Path.of("repmgr.conf")), PROBE);
    }

    @Test
    void theLabsSettingsLetAStandbyPromoteAfter1900msSoTheFenceMustHoldBy1350ms() {
        IsolationBound bound = derive("""
                conninfo='host=198.18.0.12 connect_timeout=2 tcp_user_timeout=900'
                reconnect_attempts=1
                reconnect_interval=1
                """);
        // first check can fail 900 ms in (tcp_user_timeout), the one reconnect at the first SYN retransmission (1 s)
        assertThat(bound.earliestPromotion()).isEqualTo(Duration.ofMillis(1900));
        // less one probe period, one isolation tick and the time the fence takes to apply
        assertThat(bound.bound()).isEqualTo(Duration.ofMillis(1900 - 250 - 50 - 250));
    }

    @Test
    void withoutTcpUserTimeoutEveryCheckWaitsConnectTimeoutAndTheSleepsCount() {
        IsolationBound bound = derive("""
                conninfo='host=198.18.0.12 connect_timeout=2'
                reconnect_attempts=2
                reconnect_interval=1
                """);
        // 2 s + 2 × 2 s + 1 × 1 s: the LAB-NOTES settings (promote_command ≈ 7.3 s after a link-down, measured)
        assertThat(bound.earliestPromotion()).isEqualTo(Duration.ofSeconds(7));
    }

    @Test
    void repmgrsDefaultsGiveAMinuteAndAHalf() {
        IsolationBound bound = derive("conninfo='host=db2'\n");
        // repmgrd adds connect_timeout=2; 6 attempts, 10 s apart
        assertThat(bound.earliestPromotion()).isEqualTo(Duration.ofSeconds(2 + 6 * 2 + 5 * 10));
    }

    @Test
    void libpqNeverWaitsLessThanTwoSecondsForAConnectTimeout() {
        assertThat(IsolationBound.failedCheckMillis(dev.pgflip.agent.db.Conninfo.parse("host=a connect_timeout=1")))
                .isEqualTo(2000);
        assertThat(IsolationBound.failedCheckMillis(dev.pgflip.agent.db.Conninfo.parse(
                "host=a connect_timeout=10 tcp_user_timeout=1500"))).as("second SYN retransmission at 3 s").isEqualTo(3000);
    }
}
