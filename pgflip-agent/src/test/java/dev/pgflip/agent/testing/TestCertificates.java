package dev.pgflip.agent.testing;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.pgflip.agent.digitalocean.ApiTrust;
import dev.pgflip.agent.process.ProcessResult;
import dev.pgflip.agent.process.ProcessRunner;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A private CA and a server certificate for 127.0.0.1 (no DNS name), made once per test JVM with the JDK's keytool
 * in a private temp directory: the same recipe as the lab's {@code LabCertificates}, which the agent's tests cannot
 * use. {@link #caFile()} is what a test gives the agent as {@code digitalocean.ca_file}.
 */
public final class TestCertificates {
    private static final Duration KEYTOOL_TIMEOUT = Duration.ofSeconds(60);

    private static TestCertificates instance;

    private final Path dir;
    private final SSLContext server;

    private TestCertificates(Path dir, SSLContext server) {
        this.dir = dir;
        this.server = server;
    }

    public static synchronized TestCertificates get() {
        if (instance == null) {
            instance = issue();
            warmUp(instance);
        }
        return instance;
    }

    /**
     * One handshake before any test runs: the JVM's first one loads and initialises the TLS stack (about a second of
     * CPU, several on a loaded machine), which would otherwise eat the short deadline of whichever test came first.
     */
    private static void warmUp(TestCertificates tls) {
        try {
            HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.setHttpsConfigurator(new HttpsConfigurator(tls.serverContext()));
            server.createContext("/", exchange -> {
                exchange.sendResponseHeaders(204, -1);
                exchange.close();
            });
            server.start();
            try {
                HttpClient.newBuilder().sslContext(ApiTrust.onlyCaFile(tls.caFile()).sslContext()).build()
                        .send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.getAddress().getPort()))
                                .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.discarding());
            } finally {
                server.stop(0);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("TLS warm-up failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public Path caFile() {
        return dir.resolve("ca.pem");
    }

    /** A self-signed certificate that signed nothing here: a wrong {@code ca_file}. */
    public Path unrelatedCertificateFile() {
        return dir.resolve("unrelated.pem");
    }

    /** The server side: the key and its chain (server, CA). */
    public SSLContext serverContext() {
        return server;
    }

    private static TestCertificates issue() {
        try {
            Path dir = Files.createTempDirectory("pgflip-agent-tls", PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
            Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(dir), "test-certificates-cleanup"));
            char[] password = HexFormat.of().formatHex(new SecureRandom().generateSeed(16)).toCharArray();
            Files.writeString(dir.resolve("store.pass"), new String(password));
            // The two key pairs do not depend on each other; keytool is a JVM start each (about a second, loaded).
            CompletableFuture<Void> ca = CompletableFuture.runAsync(() -> keytool(dir, "-genkeypair", "-alias", "ca",
                    "-dname", "CN=pgflip agent test CA", "-ext", "bc:c", "-ext", "ku:c=keyCertSign,cRLSign",
                    "-keystore", "ca.p12"));
            keytool(dir, "-genkeypair", "-alias", "server", "-dname", "CN=127.0.0.1", "-keystore", "server.p12");
            ca.join();
            keytool(dir, "-certreq", "-alias", "server", "-keystore", "server.p12", "-file", "server.csr");
            keytool(dir, "-gencert", "-rfc", "-alias", "ca", "-keystore", "ca.p12", "-infile", "server.csr",
                    "-outfile", "server.pem", "-ext", "san=ip:127.0.0.1", "-ext", "eku=serverAuth",
                    "-ext", "ku:c=digitalSignature");
            return new TestCertificates(dir, serverContext(dir, password));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes ca.pem and unrelated.pem, and gives the server's key the chain keytool signed (server, CA). */
    private static SSLContext serverContext(Path dir, char[] password) throws IOException, GeneralSecurityException {
        KeyStore caStore = load(dir.resolve("ca.p12"), password);
        Certificate caCert = caStore.getCertificate("ca");
        Files.writeString(dir.resolve("ca.pem"), pem(caCert));
        KeyStore store = load(dir.resolve("server.p12"), password);
        Files.writeString(dir.resolve("unrelated.pem"), pem(store.getCertificate("server")));
        Certificate serverCert;
        try (InputStream in = Files.newInputStream(dir.resolve("server.pem"))) {
            serverCert = CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        store.setKeyEntry("server", store.getKey("server", password), password, new Certificate[] {serverCert, caCert});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, password);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), null, null);
        return context;
    }

    private static KeyStore load(Path file, char[] password) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, password);
        }
        return store;
    }

    private static String pem(Certificate c) throws GeneralSecurityException {
        return "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(c.getEncoded())
                + "\n-----END CERTIFICATE-----\n";
    }

    /** keytool with file names resolved in {@code dir} and the password from a file, never in argv. */
    private static void keytool(Path dir, String... args) {
        List<String> argv = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-J-XX:TieredStopAtLevel=1", "-J-XX:+UseSerialGC"));
        for (String a : args) {
            argv.add(a.matches("[a-z]+\\.(p12|pem|csr)") ? dir.resolve(a).toString() : a);
        }
        argv.addAll(List.of("-storepass:file", dir.resolve("store.pass").toString()));
        if (args[0].equals("-genkeypair")) {
            argv.addAll(List.of("-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2", "-storetype", "PKCS12"));
        }
        try {
            ProcessResult r = new ProcessRunner().run(argv, Map.of(), KEYTOOL_TIMEOUT);
            if (!r.succeeded()) {
                throw new IllegalStateException(r.describe() + " " + r.stdout());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delete(Path dir) {
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.deleteIfExists(f);
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // a temp directory left behind holds only test keys
        }
    }
}
