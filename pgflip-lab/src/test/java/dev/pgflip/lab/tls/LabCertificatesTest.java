package dev.pgflip.lab.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What {@code lab up} leaves on disk for TLS: public certificates readable, keys private, no CA key at all. */
class LabCertificatesTest {
    static final LabCertificates.ServerIdentity TLS = TestTls.identity();

    @Test
    void certificatesAreReadableByTheAgentsAndKeysOnlyByTheirOwner() throws Exception {
        Path dir = TLS.caCertificate().getParent();
        assertThat(mode(dir)).isEqualTo("rwxr-xr-x");
        assertThat(mode(TLS.caCertificate())).isEqualTo("rw-r--r--");
        assertThat(mode(TLS.serverCertificate())).isEqualTo("rw-r--r--");
        assertThat(mode(TLS.keyStore().getParent())).isEqualTo("rwx------");
        assertThat(mode(TLS.keyStore())).isEqualTo("rw-------");
        assertThat(mode(TLS.keyStorePassword())).isEqualTo("rw-------");
    }

    @Test
    void theCaKeyIsGoneOnceItHasSignedSoNothingElseCanBeIssuedUnderTheCa() throws Exception {
        try (var files = Files.walk(TLS.caCertificate().getParent())) {
            assertThat(files.filter(Files::isRegularFile).map(f -> f.getFileName().toString()))
                    .containsExactlyInAnyOrder("ca.pem", "server.pem", "server.p12", "server.pass");
        }
        char[] password = Files.readString(TLS.keyStorePassword()).strip().toCharArray();
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(TLS.keyStore())) {
            store.load(in, password);
        }
        assertThat(Collections.list(store.aliases())).containsExactly("server");
        assertThat(store.getCertificateChain("server")).hasSize(2);
    }

    @Test
    void theServerCertificateNamesExactlyTheGivenAddressesAndTheCaSignedIt() throws Exception {
        X509Certificate ca = read(TLS.caCertificate());
        X509Certificate server = read(TLS.serverCertificate());

        assertThat(server.getSubjectAlternativeNames()).containsExactly(List.of(7, "127.0.0.1"));
        server.verify(ca.getPublicKey());
        assertThat(ca.getBasicConstraints()).isGreaterThanOrEqualTo(0);
        assertThat(server.getBasicConstraints()).isEqualTo(-1);
    }

    private static X509Certificate read(Path pem) throws Exception {
        try (InputStream in = Files.newInputStream(pem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }
}
