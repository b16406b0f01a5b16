package dev.pgflip.lab.emulator;

import dev.pgflip.lab.tls.TestTls;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Settings files for running the emulator in its own process. */
class EmulatorSettingsTest {
    @TempDir
    Path dir;

    @Test
    void aCompleteFileStartsAnEmulatorThatAcceptsTheTokenFromTheTokenFile() throws Exception {
        Files.writeString(dir.resolve("token"), "  file-token\n");
        Path config = write("""
                {"bind_host": "127.0.0.1", "port": 0, "metadata_port": 0, "token_file": "token", "region": "lab1",
                 "tls_keystore": "%s", "tls_password_file": "%s",
                 "action_delay_ms": 100,
                 "droplets": [{"id": 1001, "name": "pg1", "public_ipv4": "10.77.0.11", "private_ipv4": "10.78.0.11"}]}
                """.formatted(TestTls.identity().keyStore(), TestTls.identity().keyStorePassword()));

        EmulatorSettings settings = EmulatorSettings.load(config);

        assertThat(settings.actionDelay()).isEqualTo(Duration.ofMillis(100));
        assertThat(settings.droplets()).containsExactly(new EmulatedDroplet(1001, "pg1", "10.77.0.11", "10.78.0.11"));
        assertThat(settings.toString()).doesNotContain("file-token");
        try (DigitalOceanEmulator emulator = EmulatorMain.start(settings, FlipMover.NONE)) {
            ApiClient api = new ApiClient(emulator.baseUrl(), "file-token");
            assertThat(api.get("/v2/droplets/1001").status()).isEqualTo(200);
            assertThat(api.withToken("file-token-other").get("/v2/droplets/1001").status()).isEqualTo(401);
            assertThat(emulator.baseUrl().getScheme()).isEqualTo("https");
            assertThat(emulator.metadataUrl().getScheme()).isEqualTo("http");
        }
    }

    @Test
    void everyProblemIsReportedAtOnceWithItsKey() throws Exception {
        Path config = write("""
                {"port": 70000, "action_delay_ms": "soon", "colour": "blue",
                 "droplets": [{"id": 0, "name": "pg1", "public_ipv4": "10.77.0.300"}]}
                """);

        assertThatThrownBy(() -> EmulatorSettings.load(config))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("port: expected an integer 0..65535, got 70000")
                .hasMessageContaining("action_delay_ms: expected an integer")
                .hasMessageContaining("colour: unknown key")
                .hasMessageContaining("token_file: required")
                .hasMessageContaining("tls_keystore, tls_password_file: required")
                .hasMessageContaining("droplets[0].id");
    }

    @Test
    void aKeyStoreThatCannotBeOpenedIsNamed() throws Exception {
        Files.writeString(dir.resolve("token"), "t");
        Files.writeString(dir.resolve("wrong.pass"), "not-the-password");
        Path config = write("""
                {"token_file": "token", "tls_keystore": "%s", "tls_password_file": "wrong.pass"}
                """.formatted(TestTls.identity().keyStore()));

        assertThatThrownBy(() -> EmulatorSettings.load(config))
                .hasMessageContaining("tls_keystore: cannot load the TLS key store " + TestTls.identity().keyStore());
    }

    @Test
    void aBadDropletAddressNamesTheDroplet() throws Exception {
        Files.writeString(dir.resolve("token"), "t");
        Path config = write("""
                {"token_file": "token", "droplets": [{"id": 7, "name": "pg1", "public_ipv4": "10.77.0.300"}]}
                """);

        assertThatThrownBy(() -> EmulatorSettings.load(config))
                .hasMessageContaining("droplets[0]").hasMessageContaining("10.77.0.300");
    }

    @Test
    void readOnlyTokenFilesGiveTokensThatReadButGet403OnWrites() throws Exception {
        Files.writeString(dir.resolve("token"), "rw-token\n");
        Files.writeString(dir.resolve("token-ro"), " ro-token\n");
        Path config = write("""
                {"token_file": "token", "read_only_token_files": ["token-ro"],
                 "tls_keystore": "%s", "tls_password_file": "%s",
                 "droplets": [{"id": 1001, "name": "pg1", "public_ipv4": "10.77.0.11"}]}
                """.formatted(TestTls.identity().keyStore(), TestTls.identity().keyStorePassword()));

        EmulatorSettings settings = EmulatorSettings.load(config);

        assertThat(settings.readOnlyTokens()).hasSize(1);
        assertThat(settings.toString()).doesNotContain("ro-token").doesNotContain("rw-token");
        try (DigitalOceanEmulator emulator = EmulatorMain.start(settings, FlipMover.NONE)) {
            ApiClient reader = new ApiClient(emulator.baseUrl(), "ro-token");
            assertThat(reader.get("/v2/droplets/1001").status()).isEqualTo(200);
            assertThat(reader.post("/v2/floating_ips", "{\"region\":\"lab1\"}").status()).isEqualTo(403);
            assertThat(reader.withToken("rw-token").post("/v2/floating_ips", "{\"region\":\"lab1\"}").status())
                    .isEqualTo(202);
        }
    }

    @Test
    void badReadOnlyTokenFilesAreEachNamed() throws Exception {
        Files.writeString(dir.resolve("token"), "t");
        Files.writeString(dir.resolve("blank"), "  \n");
        Path list = write("""
                {"token_file": "token", "read_only_token_files": ["absent", "blank", 7]}
                """);
        assertThatThrownBy(() -> EmulatorSettings.load(list))
                .hasMessageContaining("read_only_token_files[0]: cannot read " + dir.resolve("absent"))
                .hasMessageContaining("read_only_token_files[1]: " + dir.resolve("blank") + ": token must not be blank")
                .hasMessageContaining("read_only_token_files[2]: expected the path of a file");

        Path notAList = write("""
                {"token_file": "token", "read_only_token_files": "token"}
                """);
        assertThatThrownBy(() -> EmulatorSettings.load(notAList))
                .hasMessageContaining("read_only_token_files: expected an array of paths");
    }

    @Test
    void theBuilderReportsAllInvalidSettingsTogetherAndNeverTheToken() {
        assertThatThrownBy(() -> DigitalOceanEmulator.builder().tls(TestTls.serverContext()).token("s3cret").region("Lab 1")
                .rateLimit(0, 0).ipPool("10.0.0.0/24")
                .droplet(new EmulatedDroplet(1, "a", "10.0.0.1", null))
                .droplet(new EmulatedDroplet(2, "b", "10.0.0.1", null)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("region")
                .hasMessageContaining("rateLimit")
                .hasMessageContaining("ipPool")
                .hasMessageContaining("10.0.0.1 belongs to both 1 and 2")
                .message().doesNotContain("s3cret");
        assertThat(DigitalOceanEmulator.builder().tls(TestTls.serverContext()).token("s3cret").toString()).doesNotContain("s3cret");
    }

    @Test
    void aBuilderWithoutATokenOrTlsIsRefused() {
        assertThatThrownBy(() -> DigitalOceanEmulator.builder().build()).hasMessageContaining("token: required")
                .hasMessageContaining("tls: required");
    }

    private Path write(String json) throws Exception {
        Path file = dir.resolve("emulator.json");
        Files.writeString(file, json);
        return file;
    }
}
