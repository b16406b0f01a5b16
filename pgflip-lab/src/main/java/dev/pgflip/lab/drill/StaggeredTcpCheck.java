package dev.pgflip.lab.drill;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The drills' own "does the floating IP answer TCP yet": a fresh connection attempt every {@code stagger} while the
 * earlier ones still wait, so a SYN that left just before the IP moved (sent to the old host, never answered) does not
 * put its retransmission timeout into the measurement. The same technique as pgflip-jdbc's health check, kept here
 * because the lab measures the library and must not reach into its internals (which may change freely).
 */
final class StaggeredTcpCheck {
    private StaggeredTcpCheck() {}

    /** Whether any attempt connected within {@code budget}; a refusal or silence until then is false. */
    static boolean answers(InetSocketAddress address, Duration budget, Duration stagger) throws IOException {
        long deadline = System.nanoTime() + budget.toNanos();
        long nextStart = System.nanoTime();
        List<SocketChannel> attempts = new ArrayList<>();
        try (Selector selector = Selector.open()) {
            while (true) {
                long now = System.nanoTime();
                if (now - deadline >= 0) {
                    return false;
                }
                if (now - nextStart >= 0) {
                    SocketChannel channel = SocketChannel.open();
                    attempts.add(channel);
                    channel.configureBlocking(false);
                    if (channel.connect(address)) {
                        return true;
                    }
                    channel.register(selector, SelectionKey.OP_CONNECT);
                    nextStart = now + stagger.toNanos();
                }
                selector.select(Math.max(1, (Math.min(nextStart, deadline) - System.nanoTime()) / 1_000_000));
                for (SelectionKey key : selector.selectedKeys()) {
                    SocketChannel channel = (SocketChannel) key.channel();
                    try {
                        if (channel.finishConnect()) {
                            return true;
                        }
                    } catch (IOException refusedOrUnreachable) {
                        key.cancel();
                        channel.close();
                    }
                }
                selector.selectedKeys().clear();
            }
        } finally {
            for (SocketChannel channel : attempts) {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // an attempt no longer needed
                }
            }
        }
    }
}
