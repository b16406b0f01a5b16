package dev.pgflip.lab.tls;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.pgflip.agent.digitalocean.ApiTrust;
import dev.pgflip.lab.emulator.ServerKeyStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;

/**
 * The lab's certificate recipe run once per test JVM for 127.0.0.1, where the tests' emulators listen: the server
 * side for {@code DigitalOceanEmulator.Builder.tls}, the CA for clients ({@code digitalocean.ca_file}, curl).
 */
public final class TestTls {
    private static LabCertificates.ServerIdentity identity;
    private static SSLContext server;

    private TestTls() {}

    public static synchronized LabCertificates.ServerIdentity identity() {
        if (identity == null) {
            try {
                Path dir = Files.createTempDirectory("pgflip-lab-tls");
                Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(dir), "test-tls-cleanup"));
                identity = LabCertificates.issue(dir, List.of("127.0.0.1"), Duration.ofDays(2));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return identity;
    }

    public static synchronized SSLContext serverContext() {
        if (server == null) {
            server = ServerKeyStore.sslContext(identity().keyStore(), identity().keyStorePassword());
            warmUp(server);
        }
        return server;
    }

    /**
     * One handshake before any test runs: the JVM's first one loads and initialises the TLS stack (about a second of
     * CPU, several on a loaded machine), which would otherwise eat the short deadline of whichever test came first.
     */
    private static void warmUp(SSLContext serverContext) {
        try {
            HttpsServer https = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            https.setHttpsConfigurator(new HttpsConfigurator(serverContext));
            https.createContext("/", exchange -> {
                exchange.sendResponseHeaders(204, -1);
                exchange.close();
            });
            https.start();
            try {
                HttpClient.newBuilder().sslContext(clientContext()).build()
                        .send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + https.getAddress().getPort()))
                                .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.discarding());
            } finally {
                https.stop(0);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("TLS warm-up failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static Path caFile() {
        return identity().caCertificate();
    }

    /** A client that trusts exactly the test CA, as the agent does with {@code ca_file}. */
    public static SSLContext clientContext() {
        return ApiTrust.onlyCaFile(caFile()).sslContext();
    }

    private static void delete(Path dir) {
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    Files.delete(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            // a temp directory left behind holds only test keys
        }
    }
}
