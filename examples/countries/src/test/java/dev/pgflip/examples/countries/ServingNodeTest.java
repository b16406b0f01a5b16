package dev.pgflip.examples.countries;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ServingNodeTest {
    @Test
    void nodeNameIsTheParentOfTheLabDataDirectory() {
        assertThat(ServingNode.nodeName("/tmp/pgflip-lab/n2/data")).isEqualTo("n2");
    }

    @Test
    void saysWhenTheConnectionCameThroughTheFloatingIp() {
        assertThat(new ServingNode("n1", "198.18.0.100", false).describe("198.18.0.100"))
                .isEqualTo("n1 (198.18.0.100 → primary, via the floating IP)");
        assertThat(new ServingNode("n2", "198.18.0.12", true).describe("198.18.0.100"))
                .isEqualTo("n2 (198.18.0.12 → standby)");
    }
}
