package dev.pgflip.lab.tls;

import dev.pgflip.agent.process.ProcessResult;
import dev.pgflip.agent.process.ProcessRunner;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A private CA and one server certificate for the DigitalOcean emulator, made with the JDK's {@code keytool} (always
 * there with Java; the JDK has no public API to build certificates). Passwords go to keytool through a file, never
 * argv. In {@code dir}:
 * <pre>
 *   ca.pem              the CA certificate (0644): what clients trust (digitalocean.ca_file, curl --cacert)
 *   server.pem          the server certificate (0644), for inspection: openssl x509 -in server.pem -noout -text
 *   private/            (0700)
 *     server.p12        the server's private key and chain, PKCS#12 (0600): read by the emulator only
 *     server.pass       that file's password (0600)
 * </pre>
 * The CA's private key is deleted as soon as it has signed: nothing else can ever be issued under this CA, so
 * trusting {@code ca.pem} means trusting this one server certificate and nothing more.
 *
 * <pre>{@code
 * ServerIdentity tls = LabCertificates.issue(layout.tls(), List.of("198.18.0.1"), Duration.ofDays(365));
 * }</pre>
 */
public final class LabCertificates {
    private static final Duration KEYTOOL_TIMEOUT = Duration.ofSeconds(60);
    private static final String PRIVATE = "rw-------";

    /** What the emulator needs (key store and its password) and what its clients need (the CA certificate). */
    public record ServerIdentity(Path caCertificate, Path serverCertificate, Path keyStore, Path keyStorePassword) {}

    private LabCertificates() {}

    /**
     * Makes the CA and a server certificate whose subject alternative names are exactly {@code ipAddresses}, so a
     * client's host name check passes for those addresses only.
     *
     * @throws IllegalStateException when keytool fails, with its last output line
     */
    public static ServerIdentity issue(Path dir, List<String> ipAddresses, Duration validity) {
        Path secret = dir.resolve("private");
        try {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.createDirectories(secret);
            Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rwx------"));
            ServerIdentity identity = new ServerIdentity(dir.resolve("ca.pem"), dir.resolve("server.pem"),
                    secret.resolve("server.p12"), secret.resolve("server.pass"));
            char[] password = HexFormat.of().formatHex(new SecureRandom().generateSeed(24)).toCharArray();
            writePrivate(identity.keyStorePassword(), new String(password));
            Keytool keytool = new Keytool(secret, identity.keyStorePassword(), validity);
            // The two key pairs do not depend on each other, and each keytool is a JVM start (0.7-2 s, measured).
            CompletableFuture<Void> ca = CompletableFuture.runAsync(() -> keytool.run("-genkeypair", "-alias", "ca",
                    "-dname", "CN=pgflip lab CA", "-ext", "bc:c", "-ext", "ku:c=keyCertSign,cRLSign",
                    "-keystore", "ca.p12"));
            keytool.run("-genkeypair", "-alias", "server", "-dname", "CN=pgflip emulator " + ipAddresses.get(0),
                    "-keystore", "server.p12");
            join(ca);
            keytool.run("-certreq", "-alias", "server", "-keystore", "server.p12", "-file", "server.csr");
            keytool.run("-gencert", "-rfc", "-alias", "ca", "-keystore", "ca.p12", "-infile", "server.csr",
                    "-outfile", "server.pem", "-ext", "san=" + subjectAlternativeNames(ipAddresses),
                    "-ext", "eku=serverAuth", "-ext", "ku:c=digitalSignature");
            assemble(secret, identity, password);
            return identity;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make the lab's TLS certificates in " + dir, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot make the lab's TLS certificates in " + dir + ": " + e.getMessage(), e);
        } finally {
            for (String leftover : List.of("ca.p12", "server.csr", "server.pem")) {
                deleteQuietly(secret.resolve(leftover));
            }
        }
    }

    /**
     * Writes the public certificates next to the private directory and gives the server key its whole chain (server,
     * CA) in the key store, so the emulator sends both and a client needs only the CA.
     */
    private static void assemble(Path secret, ServerIdentity identity, char[] password)
            throws IOException, GeneralSecurityException {
        KeyStore caStore = load(secret.resolve("ca.p12"), password);
        Certificate caCert = caStore.getCertificate("ca");
        Certificate serverCert;
        try (InputStream in = Files.newInputStream(secret.resolve("server.pem"))) {
            serverCert = CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        writePublic(identity.caCertificate(), pem(caCert));
        writePublic(identity.serverCertificate(), pem(serverCert));
        KeyStore server = load(identity.keyStore(), password);
        server.setKeyEntry("server", server.getKey("server", password), password, new Certificate[] {serverCert, caCert});
        try (OutputStream out = Files.newOutputStream(identity.keyStore())) {
            server.store(out, password);
        }
        Files.setPosixFilePermissions(identity.keyStore(), PosixFilePermissions.fromString(PRIVATE));
    }

    private static String subjectAlternativeNames(List<String> ipAddresses) {
        return String.join(",", ipAddresses.stream().map(ip -> "ip:" + ip).toList());
    }

    private static KeyStore load(Path file, char[] password) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, password);
        }
        return store;
    }

    static String pem(Certificate certificate) throws GeneralSecurityException {
        return "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(certificate.getEncoded())
                + "\n-----END CERTIFICATE-----\n";
    }

    private static void writePrivate(Path file, String content) throws IOException {
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(PRIVATE)));
        Files.writeString(file, content, StandardCharsets.UTF_8);
    }

    private static void writePublic(Path file, String content) throws IOException {
        Files.writeString(file, content, StandardCharsets.US_ASCII);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    }

    private static void join(CompletableFuture<Void> step) {
        try {
            step.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException ? (RuntimeException) e.getCause() : e;
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // inside the 0700 directory; lab down removes it anyway
        }
    }

    /** keytool runs with file names inside the private directory and the store password from its file. */
    private record Keytool(Path dir, Path passwordFile, Duration validity) {
        void run(String... args) {
            List<String> argv = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                    // a short-lived JVM: C1 only and the serial GC start faster
                    "-J-XX:TieredStopAtLevel=1", "-J-XX:+UseSerialGC"));
            for (String a : args) {
                argv.add(a.matches("[a-z]+\\.(p12|pem|csr)") ? dir.resolve(a).toString() : a);
            }
            argv.addAll(List.of("-storepass:file", passwordFile.toString()));
            if (args[0].equals("-genkeypair")) {
                argv.addAll(List.of("-keyalg", "EC", "-groupname", "secp256r1", "-storetype", "PKCS12"));
            }
            if (args[0].equals("-genkeypair") || args[0].equals("-gencert")) {
                argv.addAll(List.of("-validity", Long.toString(Math.max(1, validity.toDays()))));
            }
            ProcessResult result;
            try {
                result = new ProcessRunner().run(argv, Map.of(), KEYTOOL_TIMEOUT);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot run keytool", e);
            }
            if (!result.succeeded()) {
                String said = result.lastStderrLine().isEmpty() ? result.stdout().strip() : result.lastStderrLine();
                throw new IllegalStateException("keytool " + args[0] + " failed: " + said);
            }
            for (String a : args) {
                if (a.matches("[a-z]+\\.(p12|csr)")) {
                    setPrivate(dir.resolve(a));
                }
            }
        }

        private static void setPrivate(Path file) {
            try {
                if (Files.exists(file)) {
                    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(PRIVATE));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
