package dev.pgflip.lab.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class Ipv4Test {

    @Test
    void anAddressBecomesTheUnsignedIntegerTheApiUsesAsResourceId() {
        assertThat(Ipv4.parse("45.55.96.47").asUnsignedInt()).isEqualTo(758603823L);
        assertThat(Ipv4.parse("255.255.255.255").asUnsignedInt()).isEqualTo(4294967295L);
        assertThat(Ipv4.parse("198.18.0.100").toString()).isEqualTo("198.18.0.100");
    }

    @Test
    void textThatIsNoDottedQuadIsRejectedWithoutANameLookup() {
        for (String bad : new String[] {"localhost", "1.2.3", "1.2.3.4.5", "1.2.3.256", "1..2.3", "-1.2.3.4", ""}) {
            assertThat(Ipv4.isValid(bad)).as(bad).isFalse();
        }
        assertThatThrownBy(() -> Ipv4.parse("1.2.3.999")).hasMessageContaining("999");
    }

    @Test
    void poolsMustBeAlignedBlocksInsideTheBenchmarkRange() {
        assertThat(IpPool.parse("198.19.255.0/24").contains(Ipv4.parse("198.19.255.7"))).isTrue();
        assertThatThrownBy(() -> IpPool.parse("198.18.0.100/28")).hasMessageContaining("198.18.0.96/28");
        assertThatThrownBy(() -> IpPool.parse("198.20.0.0/24")).hasMessageContaining("198.18.0.0/15");
        assertThatThrownBy(() -> IpPool.parse("198.18.0.0")).hasMessageContaining("CIDR");
    }
}
