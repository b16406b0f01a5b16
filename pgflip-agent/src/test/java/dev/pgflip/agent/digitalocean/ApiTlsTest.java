package dev.pgflip.agent.digitalocean;

import static dev.pgflip.agent.testing.ScriptedApi.ip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pgflip.agent.ExitCode;
import dev.pgflip.agent.testing.ScriptedApi;
import dev.pgflip.agent.testing.TestCertificates;
import dev.pgflip.agent.time.Deadline;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API is spoken to over HTTPS only, trusting the JDK's store or exactly the configured CA, with the host name
 * checked; a certificate that fails is a configuration error (exit 2) found on the first call, never retried, and the
 * token never leaves (the handshake fails before any request is sent).
 */
class ApiTlsTest {
    static final String TOKEN = "tls-test-token-" + Long.toHexString(System.nanoTime());
    static final String FIP = "198.18.0.100";

    @TempDir
    Path dir;

    static DigitalOceanClient client(URI url, ApiTrust trust) {
        return DigitalOceanClient.create(url, trust, IpResource.FLOATING_IPS, Duration.ofSeconds(2), new ApiToken(TOKEN),
                RetryPolicy.defaults());
    }

    static Deadline deadline() {
        return Deadline.after(Duration.ofSeconds(5));
    }

    @Test
    void theConfiguredCaIsTrustedAndTheRequestCarriesTheToken() throws Exception {
        try (ScriptedApi api = new ScriptedApi()) {
            api.on("GET /v2/floating_ips/" + FIP, 200, ip("floating_ip", FIP, 1001L, false, "nyc3"));

            assertThat(client(api.url(), ScriptedApi.trust()).getFloatingIp(FIP, deadline()).dropletId()).hasValue(1001);
            assertThat(api.requests()).singleElement().extracting(ScriptedApi.Request::authorization)
                    .isEqualTo("Bearer " + TOKEN);
        }
    }

    @Test
    void theJdkTrustStoreDoesNotKnowAPrivateCaAndNothingIsSent() throws Exception {
        try (ScriptedApi api = new ScriptedApi()) {
            assertThatThrownBy(() -> client(api.url(), ApiTrust.jdkDefault()).getFloatingIp(FIP, deadline()))
                    .isInstanceOf(CertificateRejectedException.class)
                    .hasMessage("the API at " + api.url().getAuthority() + " presented a certificate not signed by a CA"
                            + " trusted here (the JDK's default trust store): set digitalocean.ca_file to the PEM file"
                            + " of the CA that signed it (for the lab: <lab dir>/tls/ca.pem)")
                    .satisfies(e -> assertThat(((CertificateRejectedException) e).exitCode()).isEqualTo(ExitCode.USAGE));
            assertThat(api.requests()).isEmpty();
        }
    }

    @Test
    void aCaFileWithAnotherCertificateIsRejected() throws Exception {
        try (ScriptedApi api = new ScriptedApi()) {
            Path other = TestCertificates.get().unrelatedCertificateFile();

            assertThatThrownBy(() -> client(api.url(), ApiTrust.onlyCaFile(other)).getFloatingIp(FIP, deadline()))
                    .isInstanceOf(CertificateRejectedException.class)
                    .hasMessageContaining("not signed by a CA trusted here (only the CA in digitalocean.ca_file " + other);
            assertThat(api.requests()).isEmpty();
        }
    }

    @Test
    void aCertificateIssuedForAnotherAddressIsRejectedByTheHostNameCheck() throws Exception {
        // The certificate names 127.0.0.1 only; the same server reached as 127.0.0.2 must not be accepted.
        try (ScriptedApi api = ScriptedApi.httpsOn("127.0.0.2")) {
            assertThatThrownBy(() -> client(api.url(), ScriptedApi.trust()).getFloatingIp(FIP, deadline()))
                    .isInstanceOf(CertificateRejectedException.class)
                    .hasMessageStartingWith("the API at " + api.url().getAuthority() + " presented a certificate that"
                            + " does not match the address in digitalocean.api_url")
                    .hasMessageContaining("127.0.0.2")
                    .hasMessageEndingWith("use the host name or address the certificate was issued for");
            assertThat(api.requests()).isEmpty();
        }
    }

    @Test
    void plainHttpIsRefusedBeforeAnyConnection() {
        assertThatThrownBy(() -> client(URI.create("http://127.0.0.1:1"), ApiTrust.jdkDefault()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must be https");
    }

    @Test
    void aCaFileMustHoldACertificate() throws Exception {
        Path empty = Files.writeString(dir.resolve("empty.pem"), "");
        Path garbage = Files.writeString(dir.resolve("garbage.pem"), "-----BEGIN CERTIFICATE-----\nnot base64!\n"
                + "-----END CERTIFICATE-----\n");

        assertThatThrownBy(() -> ApiTrust.onlyCaFile(empty)).hasMessageStartingWith("holds no certificate");
        assertThatThrownBy(() -> ApiTrust.onlyCaFile(garbage)).hasMessageStartingWith("is not a PEM file of CA certificates");
        assertThatThrownBy(() -> ApiTrust.onlyCaFile(dir.resolve("missing.pem")))
                .hasMessage("cannot be read (NoSuchFileException)");
        assertThat(ApiTrust.onlyCaFile(ScriptedApi.caFile()).describe())
                .isEqualTo("only the CA in digitalocean.ca_file " + ScriptedApi.caFile());
    }
}
