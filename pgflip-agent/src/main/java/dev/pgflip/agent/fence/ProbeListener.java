package dev.pgflip.agent.fence;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts the peers' fencing probes on {@code fencing.probe_port} (every address of the node) and closes each at once:
 * a probe is a new TCP connection, as repmgrd's checks are, and here it ends in this process, where a connect to
 * PostgreSQL's port makes its postmaster fork a backend. Nothing is read or written. A port that cannot be bound is
 * logged and left: the peers then probe PostgreSQL's port, as without the setting.
 */
public final class ProbeListener implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ProbeListener.class);
    private final ServerSocketChannel server;
    private final Thread acceptor;

    private ProbeListener(ServerSocketChannel server) {
        this.server = server;
        this.acceptor = new Thread(this::acceptAll, "pgflip-probe-listener");
        this.acceptor.setDaemon(true);
    }

    /** Listening on {@code port}; empty (and a warning) when the port cannot be bound. */
    public static Optional<ProbeListener> start(int port) {
        try {
            ServerSocketChannel server = ServerSocketChannel.open();
            try {
                server.bind(new InetSocketAddress(port), 128);
            } catch (IOException e) {
                server.close();
                throw e;
            }
            ProbeListener listener = new ProbeListener(server);
            listener.acceptor.start();
            return Optional.of(listener);
        } catch (IOException e) {
            log.warn("cannot listen on fencing.probe_port {} ({}): the peers probe this node's PostgreSQL port instead,"
                    + " a backend forked per probe; free the port or choose another on every node", port, e.getMessage());
            return Optional.empty();
        }
    }

    /** The port bound (the one asked for, or the one the system chose for 0). */
    int port() {
        try {
            return ((InetSocketAddress) server.getLocalAddress()).getPort();
        } catch (IOException e) {
            return -1;
        }
    }

    private void acceptAll() {
        while (server.isOpen()) {
            try (SocketChannel probe = server.accept()) {
                // the prober's connect completed with the handshake: closing is all that is left to do
            } catch (ClosedChannelException closed) {
                return;
            } catch (IOException e) {
                // no descriptor left, or a probe reset before it was accepted: a pause, so a lasting error cannot spin
                pause();
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // stopping anyway
        }
    }
}
