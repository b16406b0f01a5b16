package dev.pgflip.lab.emulator;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One listener of the JDK HTTP server, over TLS when given an {@link SSLContext}, plus the ability to stop listening
 * for a while and come back on the same port — an API host that refuses connections is a failure clients must
 * survive, and a reopened port keeps their base URL valid.
 */
final class EmulatorHttpServer implements FaultInjector.ConnectionGate, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmulatorHttpServer.class);
    private static final Duration REBIND_RETRY = Duration.ofMillis(100);
    private static final int REBIND_ATTEMPTS = 50;

    private final Optional<SSLContext> tls;
    private final ExecutorService handlerThreads;
    private final ScheduledExecutorService timers;
    private Map<String, HttpHandler> contexts = Map.of();
    private InetSocketAddress address;
    private HttpServer server;
    private ScheduledFuture<?> reopening;
    private boolean closed;

    EmulatorHttpServer(InetSocketAddress bind, Optional<SSLContext> tls, ExecutorService handlerThreads,
                       ScheduledExecutorService timers) {
        this.address = bind;
        this.tls = tls;
        this.handlerThreads = handlerThreads;
        this.timers = timers;
    }

    /** Binds (port 0 picks a free port, kept for every later reopen) and starts serving. */
    synchronized void start(Map<String, HttpHandler> handlersByPrefix) throws IOException {
        this.contexts = Map.copyOf(handlersByPrefix);
        server = listen(address);
        address = server.getAddress();
    }

    synchronized InetSocketAddress address() {
        return address;
    }

    String scheme() {
        return tls.isPresent() ? "https" : "http";
    }

    @Override
    public synchronized void refuseFor(Duration duration) {
        if (closed) {
            return;
        }
        if (server != null) {
            server.stop(0);
            server = null;
            log.info("listener on {} closed for {} ms (injected fault)", address, duration.toMillis());
        }
        cancelReopening();
        reopening = timers.schedule(() -> reopen(REBIND_ATTEMPTS), duration.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void acceptAgain() {
        cancelReopening();
        reopen(REBIND_ATTEMPTS);
    }

    @Override
    public synchronized void close() {
        closed = true;
        cancelReopening();
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }

    private synchronized void reopen(int attemptsLeft) {
        if (closed || server != null) {
            return;
        }
        try {
            server = listen(address);
            log.info("listener on {} accepting connections again", address);
        } catch (IOException | UncheckedIOException e) {
            // The kernel may hold the port briefly after close; try again rather than lose the port for good.
            if (attemptsLeft <= 1) {
                log.error("cannot listen on {} again; the emulator stays unreachable", address, e);
                return;
            }
            reopening = timers.schedule(() -> reopen(attemptsLeft - 1), REBIND_RETRY.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
    }

    private HttpServer listen(InetSocketAddress at) throws IOException {
        HttpServer created;
        if (tls.isPresent()) {
            HttpsServer https = HttpsServer.create(at, 64);
            https.setHttpsConfigurator(new HttpsConfigurator(tls.get()));
            created = https;
        } else {
            created = HttpServer.create(at, 64);
        }
        contexts.forEach(created::createContext);
        created.setExecutor(handlerThreads);
        created.start();
        return created;
    }

    private void cancelReopening() {
        if (reopening != null) {
            reopening.cancel(false);
            reopening = null;
        }
    }
}
