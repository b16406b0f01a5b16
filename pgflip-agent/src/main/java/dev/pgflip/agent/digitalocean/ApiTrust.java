package dev.pgflip.agent.digitalocean;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Which certificates the API client accepts from the API host. Without {@code digitalocean.ca_file}: the JDK's
 * default trust store, as api.digitalocean.com needs. With it: exactly the CA certificates in that file and nothing
 * else (not the JDK's store as well), e.g. the lab's private CA. Either way the host name check stays on: the
 * certificate must name the host of {@code digitalocean.api_url}. There is deliberately no way to trust everything.
 *
 * <pre>{@code
 * ApiTrust trust = ApiTrust.onlyCaFile(Path.of("/tmp/pgflip-lab/tls/ca.pem"));
 * HttpClient http = HttpClient.newBuilder().sslContext(trust.sslContext()).build();
 * }</pre>
 */
public final class ApiTrust {
    private static final ApiTrust JDK_DEFAULT = new ApiTrust(Optional.empty(), List.of());

    private final Optional<Path> caFile;
    private final List<X509Certificate> certificates;

    private ApiTrust(Optional<Path> caFile, List<X509Certificate> certificates) {
        this.caFile = caFile;
        this.certificates = certificates;
    }

    public static ApiTrust jdkDefault() {
        return JDK_DEFAULT;
    }

    /**
     * Trusts only the certificates in {@code pemFile} (PEM or DER, one or more).
     *
     * @throws IllegalArgumentException saying what is wrong with the file (unreadable, no certificate, expired), in
     *                                  words that fit after the file's name
     */
    public static ApiTrust onlyCaFile(Path pemFile) {
        List<X509Certificate> read = new ArrayList<>();
        try (InputStream in = Files.newInputStream(pemFile)) {
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                read.add((X509Certificate) c);
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot be read (" + e.getClass().getSimpleName() + ")", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("is not a PEM file of CA certificates (" + e.getMessage() + ")", e);
        }
        if (read.isEmpty()) {
            throw new IllegalArgumentException("holds no certificate; expected the PEM file of the CA that signed the"
                    + " API's certificate");
        }
        for (X509Certificate c : read) {
            try {
                c.checkValidity();
            } catch (CertificateExpiredException e) {
                throw new IllegalArgumentException("holds a certificate (" + c.getSubjectX500Principal().getName()
                        + ") that expired on " + c.getNotAfter().toInstant(), e);
            } catch (CertificateNotYetValidException e) {
                throw new IllegalArgumentException("holds a certificate (" + c.getSubjectX500Principal().getName()
                        + ") that is valid only from " + c.getNotBefore().toInstant() + " (check the clock)", e);
            }
        }
        return new ApiTrust(Optional.of(pemFile), List.copyOf(read));
    }

    public Optional<Path> caFile() {
        return caFile;
    }

    /**
     * The context for {@code HttpClient.Builder.sslContext}: the JDK default one, or one whose only trust anchors are
     * the CA file's certificates.
     */
    public SSLContext sslContext() {
        try {
            if (caFile.isEmpty()) {
                return SSLContext.getDefault();
            }
            KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
            anchors.load(null, null);
            for (int i = 0; i < certificates.size(); i++) {
                anchors.setCertificateEntry("ca-" + i, certificates.get(i));
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(anchors);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot set up TLS with " + describe() + ": " + e.getMessage(), e);
        }
    }

    /** For messages: {@code the CA in digitalocean.ca_file /x/ca.pem} or {@code the JDK's default trust store}. */
    public String describe() {
        return caFile.map(f -> "only the CA in digitalocean.ca_file " + f).orElse("the JDK's default trust store");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ApiTrust && ((ApiTrust) o).caFile.equals(caFile)
                && ((ApiTrust) o).certificates.equals(certificates);
    }

    @Override
    public int hashCode() {
        return Objects.hash(caFile, certificates);
    }

    @Override
    public String toString() {
        return "ApiTrust[" + describe() + "]";
    }
}
