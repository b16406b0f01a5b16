package dev.pgflip.common;

import java.io.Closeable;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Asks whether a TCP listener answers, starting a fresh connection attempt every {@code stagger} while earlier ones
 * are still waiting. A SYN that left just before a floating IP moved goes to the old host and is never answered;
 * one attempt at a time would sit on it for its whole timeout, while the next staggered attempt reaches the new host
 * within {@code stagger} of the move (measured on the lab: the FLIP was seen ~200 ms earlier than with one 250 ms
 * attempt after another).
 */
public final class StaggeredConnect {
    /** What a refused attempt means to the wait. */
    public enum OnRefusal {
        /**
         * Keep trying until the budget is spent: the address may be about to answer from elsewhere (a floating IP whose
         * old host refuses until the IP moves, a node coming back).
         */
        KEEP_TRYING,
        /**
         * Throw the refusal at once: the address answered and said nothing listens. For a host that was answering a
         * moment ago, waiting out the budget only delays the news (measured on the lab's kill drill: a monitor marked
         * its writer DOWN 250 ms after the refusal, the budget, while the standby was already being promoted).
         */
        FAIL
    }

    private StaggeredConnect() {}

    /** Returns when any attempt connects; throws the last failure (or a timeout) once {@code budget} is spent. */
    public static void await(InetSocketAddress address, Duration budget, Duration stagger) throws IOException {
        await(address, budget, stagger, OnRefusal.KEEP_TRYING);
    }

    /** As {@link #await(InetSocketAddress, Duration, Duration)}, a refused attempt handled as {@code onRefusal} says. */
    public static void await(InetSocketAddress address, Duration budget, Duration stagger, OnRefusal onRefusal)
            throws IOException {
        try (SocketAttempts attempts = new SocketAttempts(address)) {
            await(attempts, System::nanoTime, address, budget, stagger, onRefusal);
        }
    }

    /** The connection attempts to one address, as {@link #await} drives them; a seam for tests. */
    interface Attempts {
        /** Starts one more attempt; true when it connected at once. */
        boolean start() throws IOException;

        /**
         * Waits at most {@code millis} for the attempts started so far: true as soon as one has connected. Each attempt
         * that failed meanwhile is handed to {@code failed} and dropped.
         */
        boolean awaitAny(long millis, Consumer<IOException> failed) throws IOException;
    }

    /** The loop of {@link #await(InetSocketAddress, Duration, Duration)} on any attempts and clock (nanoseconds). */
    static void await(Attempts attempts, LongSupplier nanoTime, InetSocketAddress address, Duration budget,
            Duration stagger) throws IOException {
        await(attempts, nanoTime, address, budget, stagger, OnRefusal.KEEP_TRYING);
    }

    static void await(Attempts attempts, LongSupplier nanoTime, InetSocketAddress address, Duration budget,
            Duration stagger, OnRefusal onRefusal) throws IOException {
        long deadline = nanoTime.getAsLong() + budget.toNanos();
        long nextStart = nanoTime.getAsLong();
        IOException[] last = {null};
        while (true) {
            long now = nanoTime.getAsLong();
            if (now - deadline >= 0) {
                throw last[0] != null ? last[0] : new SocketTimeoutException("no answer from " + address + " within "
                        + budget.toMillis() + " ms");
            }
            if (now - nextStart >= 0) {
                if (attempts.start()) {
                    return;
                }
                nextStart = now + stagger.toNanos();
            }
            long waitNanos = Math.min(nextStart, deadline) - nanoTime.getAsLong();
            if (attempts.awaitAny(Math.max(1, waitNanos / 1_000_000), e -> last[0] = e)) {
                return;
            }
            if (onRefusal == OnRefusal.FAIL && refusal(last[0])) {
                throw last[0];
            }
        }
    }

    /**
     * A connect the host's kernel refused (nothing listens on the port); an OS-level connect timeout is a
     * ConnectException too ("Connection timed out"), but that one is silence. pgflip-jdbc's failure classifier asks the
     * same of each cause of a failed probe.
     */
    public static boolean refusal(Throwable e) {
        return e instanceof ConnectException c && (c.getMessage() == null || !c.getMessage().contains("timed out"));
    }

    /** Non-blocking socket channels on one selector; closing closes every attempt. */
    static final class SocketAttempts implements Attempts, Closeable {
        private final InetSocketAddress address;
        private final Selector selector;
        private final List<SocketChannel> channels = new ArrayList<>();

        SocketAttempts(InetSocketAddress address) throws IOException {
            this.address = address;
            this.selector = Selector.open();
        }

        @Override
        public boolean start() throws IOException {
            SocketChannel channel = SocketChannel.open();
            channels.add(channel);
            channel.configureBlocking(false);
            if (channel.connect(address)) {
                return true;
            }
            channel.register(selector, SelectionKey.OP_CONNECT);
            return false;
        }

        @Override
        public boolean awaitAny(long millis, Consumer<IOException> failed) throws IOException {
            selector.select(millis);
            try {
                for (SelectionKey key : selector.selectedKeys()) {
                    SocketChannel channel = (SocketChannel) key.channel();
                    try {
                        if (channel.finishConnect()) {
                            return true;
                        }
                    } catch (IOException e) {
                        failed.accept(e);
                        key.cancel();
                        channel.close();
                    }
                }
                return false;
            } finally {
                selector.selectedKeys().clear();
            }
        }

        @Override
        public void close() throws IOException {
            try {
                selector.close();
            } finally {
                for (SocketChannel channel : channels) {
                    try {
                        channel.close();
                    } catch (IOException ignored) {
                        // an attempt we no longer need
                    }
                }
            }
        }
    }
}
