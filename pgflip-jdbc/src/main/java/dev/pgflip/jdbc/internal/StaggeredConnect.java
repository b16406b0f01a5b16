package dev.pgflip.jdbc.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Asks whether a TCP listener answers, starting a fresh connection attempt every {@code stagger} while earlier ones
 * are still waiting. A SYN that left just before a floating IP moved goes to the old host and is never answered;
 * one attempt at a time would sit on it for its whole timeout, while the next staggered attempt reaches the new host
 * within {@code stagger} of the move (measured on the lab: the FLIP was seen ~200 ms earlier than with one 250 ms
 * attempt after another).
 */
public final class StaggeredConnect {
    private StaggeredConnect() {}

    /** Returns when any attempt connects; throws the last failure (or a timeout) once {@code budget} is spent. */
    public static void await(InetSocketAddress address, Duration budget, Duration stagger) throws IOException {
        long deadline = System.nanoTime() + budget.toNanos();
        long nextStart = System.nanoTime();
        IOException last = null;
        List<SocketChannel> attempts = new ArrayList<>();
        try (Selector selector = Selector.open()) {
            while (true) {
                long now = System.nanoTime();
                if (now - deadline >= 0) {
                    throw last != null ? last : new SocketTimeoutException("no answer from " + address + " within "
                            + budget.toMillis() + " ms");
                }
                if (now - nextStart >= 0) {
                    SocketChannel channel = SocketChannel.open();
                    attempts.add(channel);
                    channel.configureBlocking(false);
                    if (channel.connect(address)) {
                        return;
                    }
                    channel.register(selector, SelectionKey.OP_CONNECT);
                    nextStart = now + stagger.toNanos();
                }
                long waitNanos = Math.min(nextStart, deadline) - System.nanoTime();
                selector.select(Math.max(1, waitNanos / 1_000_000));
                for (SelectionKey key : selector.selectedKeys()) {
                    SocketChannel channel = (SocketChannel) key.channel();
                    try {
                        if (channel.finishConnect()) {
                            return;
                        }
                    } catch (IOException e) {
                        last = e;
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
                    // an attempt we no longer need
                }
            }
        }
    }
}
