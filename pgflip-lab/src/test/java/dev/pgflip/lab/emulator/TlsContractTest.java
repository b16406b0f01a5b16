package dev.pgflip.lab.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pgflip.agent.process.ProcessResult;
import dev.pgflip.agent.process.ProcessRunner;
import dev.pgflip.lab.tls.TestTls;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How the emulator is reached: the API (and its controls) over HTTPS with a certificate chain a client can check
 * against the CA alone, the metadata service over plain HTTP on a port of its own, and a third-party client (curl)
 * working with nothing but {@code --cacert}.
 */
class TlsContractTest {
    static final String TOKEN = "tls-contract-token";
    static DigitalOceanEmulator emulator;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        emulator = DigitalOceanEmulator.builder().tls(TestTls.serverContext()).token(TOKEN)
                .droplet(new EmulatedDroplet(1001, "pg1", "127.0.0.1", null)).build();
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    @Test
    void theServerSendsItsCertificateForItsAddressAndTheCaThatSignedIt() throws Exception {
        URI api = emulator.baseUrl();
        Certificate[] chain;
        try (SSLSocket socket = (SSLSocket) TestTls.clientContext().getSocketFactory()
                .createSocket(api.getHost(), api.getPort())) {
            socket.startHandshake();
            chain = socket.getSession().getPeerCertificates();
        }

        assertThat(chain).hasSize(2);
        X509Certificate server = (X509Certificate) chain[0];
        X509Certificate ca = (X509Certificate) chain[1];
        assertThat(server.getSubjectAlternativeNames()).containsExactly(List.of(7, "127.0.0.1"));
        assertThat(server.getBasicConstraints()).as("the server certificate is no CA").isEqualTo(-1);
        assertThat(server.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
        assertThat(server.getIssuerX500Principal()).isEqualTo(ca.getSubjectX500Principal());
        assertThat(ca.getBasicConstraints()).as("the CA is a CA").isGreaterThanOrEqualTo(0);
        assertThat(ca.getKeyUsage()[5]).as("keyCertSign").isTrue();
    }

    @Test
    void plainHttpOnTheApiPortGetsNoAnswer() {
        URI plain = URI.create("http://127.0.0.1:" + emulator.baseUrl().getPort() + "/v2/droplets");
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

        assertThatThrownBy(() -> http.send(HttpRequest.newBuilder(plain).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString())).isInstanceOf(IOException.class);
    }

    @Test
    void theMetadataServiceIsPlainHttpOnItsOwnPortAndTheApiIsNotServedThere() throws Exception {
        assertThat(emulator.metadataUrl().getPort()).isNotEqualTo(emulator.baseUrl().getPort());
        ApiClient metadata = new ApiClient(emulator.metadataUrl(), null);
        ApiClient api = new ApiClient(emulator.baseUrl(), TOKEN);

        assertThat(metadata.get("/metadata/v1/id").text()).isEqualTo("1001");
        assertThat(metadata.get("/v2/droplets").status()).isEqualTo(404);
        assertThat(api.get("/metadata/v1/id").status()).isEqualTo(404);
        assertThat(api.get("/v2/droplets").status()).isEqualTo(200);
    }

    @Test
    void curlWorksWithTheCaFileAloneAndRefusesWithoutIt() throws Exception {
        Path curl = Path.of("/usr/bin/curl");
        // Fails, never skips: scripts/install-deps.sh (make deps) installs curl, so a machine without it was not set up.
        assertThat(Files.isExecutable(curl)).as("%s is not installed: run scripts/install-deps.sh as root", curl)
                .isTrue();
        // The header comes from a 0600 file: a token on curl's command line would show in ps.
        Path header = Files.createFile(dir.resolve("auth-header"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(header, "Authorization: Bearer " + TOKEN + "\n");
        String url = emulator.baseUrl() + "/v2/droplets/1001";

        ProcessResult trusted = new ProcessRunner().run(List.of(curl.toString(), "-sS", "--cacert",
                TestTls.caFile().toString(), "-H", "@" + header, url), Map.of(), Duration.ofSeconds(20));
        ProcessResult untrusted = new ProcessRunner().run(List.of(curl.toString(), "-sS", "-H", "@" + header, url),
                Map.of(), Duration.ofSeconds(20));

        assertThat(trusted.exitCode()).as(trusted.describe()).isZero();
        assertThat(trusted.stdout()).contains("\"droplet\"").contains("\"pg1\"");
        // 60: "Peer certificate cannot be authenticated with known CA certificates"
        assertThat(untrusted.exitCode()).as(untrusted.describe()).isEqualTo(60);
    }
}
