package dev.pgflip.agent.repmgrd;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** CapEff lines as the lab's watch (setpriv --ambient-caps=+net_admin) and a plain postgres process show them. */
class NetAdminCapabilityTest {
    @Test
    void theEffectiveSetSaysIt() {
        assertThat(NetAdminCapability.effective(List.of("Name:\tjava", "CapInh:\t0000000000001000",
                "CapEff:\t0000000000001000"))).hasValue(true);
        assertThat(NetAdminCapability.effective(List.of("CapInh:\t0000000000001000", "CapEff:\t0000000000000000")))
                .hasValue(false);
        assertThat(NetAdminCapability.effective(List.of("CapEff:\t000001ffffffffff"))).as("root").hasValue(true);
        assertThat(NetAdminCapability.effective(List.of("Name:\tjava"))).isEmpty();
    }

    @Test
    void thisProcessCanBeAsked() {
        assertThat(NetAdminCapability.ofThisProcess()).isPresent();
    }
}
