package dev.pgflip.lab.emulator;

import dev.pgflip.lab.tls.TestTls;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Starting and closing: named threads while running, none left afterwards, port released. */
class EmulatorLifecycleTest {

    @Test
    void closingStopsTheServerAndLeavesNoEmulatorThread() throws Exception {
        DigitalOceanEmulator emulator = DigitalOceanEmulator.builder().tls(TestTls.serverContext()).token("t").actionDelay(Duration.ofSeconds(30))
                .droplet(new EmulatedDroplet(1001, "pg1", "10.77.0.11", null)).build();
        ApiClient api = new ApiClient(emulator.baseUrl(), "t");
        api.post("/v2/floating_ips", "{\"droplet_id\":1001}");
        assertThat(emulatorThreads()).isPositive();

        emulator.close();

        assertThat(emulatorThreads()).isZero();
        assertThatThrownBy(() -> new ApiClient(emulator.baseUrl(), "t").get("/v2/droplets"))
                .isInstanceOf(IOException.class);
    }

    @Test
    void ipsComeFromThePoolInOrder() throws Exception {
        try (DigitalOceanEmulator emulator = DigitalOceanEmulator.builder().tls(TestTls.serverContext()).token("t").ipPool("198.18.4.0/30")
                .build()) {
            ApiClient api = new ApiClient(emulator.baseUrl(), "t");

            assertThat(api.post("/v2/floating_ips", "{\"region\":\"lab1\"}").json().get("floating_ip")
                    .get("ip").asText()).isEqualTo("198.18.4.1");
            assertThat(api.post("/v2/floating_ips", "{\"region\":\"lab1\"}").json().get("floating_ip")
                    .get("ip").asText()).isEqualTo("198.18.4.2");
            ApiClient.Answer exhausted = api.post("/v2/floating_ips", "{\"region\":\"lab1\"}");
            assertThat(exhausted.status()).isEqualTo(422);
            assertThat(exhausted.json().get("message").asText()).contains("198.18.4.0/30");
        }
    }

    private static long emulatorThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("do-emulator-")).count();
    }
}
