package dev.pgflip.jdbc.internal;

import dev.pgflip.jdbc.HostSpec;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A {@link PoolFactory} whose pools are fakes: they hand out JDK-proxy connections (or refuse, while {@link #refuse} is
 * set), and record what was asked of them. {@link #onOpen} runs inside {@code open}, which is where a test replays what
 * another thread did while a pool was being made.
 */
final class FakePools implements PoolFactory {
    /** Every pool opened, in order. */
    final List<Source> opened = new CopyOnWriteArrayList<>();
    volatile Consumer<Source> onOpen = s -> { };
    /** Runs inside each borrow, before the connection is made: what happened while a borrow waited in the pool. */
    volatile Consumer<Source> onBorrow = s -> { };
    volatile boolean refuse;
    /**
     * Where each host says it is when a connection of its asks {@link WalPosition#QUERY}: {LSN, timeline} answers in
     * turn, the last one repeated. Its timeline history cannot be read (42501, as without pg_read_server_files).
     */
    final Map<HostSpec, Deque<String[]>> walPositions = new ConcurrentHashMap<>();

    @Override
    public ConnectionSource open(HostSpec host, Role role, boolean inRecoveryToo, String name) {
        Source s = new Source(host, role, inRecoveryToo, name);
        opened.add(s);
        onOpen.accept(s);
        return s;
    }

    /** The pools opened on {@code host}, oldest first. */
    List<Source> on(HostSpec host) {
        return opened.stream().filter(s -> s.host.equals(host)).toList();
    }

    final class Source implements ConnectionSource {
        final HostSpec host;
        final Role role;
        final boolean inRecoveryToo;
        final String name;
        volatile int borrows;
        /** The longest wait the last borrow allowed inside the pool. */
        volatile long lastTimeoutMillis;
        volatile int evictions;
        volatile int closes;

        Source(HostSpec host, Role role, boolean inRecoveryToo, String name) {
            this.host = host;
            this.role = role;
            this.inRecoveryToo = inRecoveryToo;
            this.name = name;
        }

        @Override
        public Connection connection(long timeoutMillis) throws SQLException {
            borrows++;
            lastTimeoutMillis = timeoutMillis;
            onBorrow.accept(this);
            if (refuse || closes > 0) {
                throw new SQLTransientConnectionException(name + " - Connection is not available, request timed out"
                        + " after " + timeoutMillis + "ms", "08001");
            }
            return connectionOn(this, walPositions.getOrDefault(host, new ArrayDeque<>()));
        }

        @Override
        public boolean evictIdle() {
            evictions++;
            return true;
        }

        @Override
        public String poolName() {
            return name;
        }

        @Override
        public void close() {
            closes++;
        }

        boolean closed() {
            return closes > 0;
        }
    }

    /** A connection that knows whether it was closed or aborted, and answers toString with its pool's name. */
    private static Connection connectionOn(Source source, Deque<String[]> positions) {
        boolean[] closed = new boolean[1];
        return (Connection) Proxy.newProxyInstance(FakePools.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "prepareStatement" -> statement((String) args[0], positions);
                    case "close", "abort" -> {
                        closed[0] = true;
                        yield null;
                    }
                    case "isClosed" -> closed[0];
                    case "toString" -> "connection of " + source.name;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private static PreparedStatement statement(String sql, Deque<String[]> positions) {
        return (PreparedStatement) Proxy.newProxyInstance(FakePools.class.getClassLoader(),
                new Class<?>[] {PreparedStatement.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "executeQuery" -> {
                        if (!sql.equals(WalPosition.QUERY)) {
                            throw new SQLException("permission denied for function pg_read_file", "42501");
                        }
                        yield position(positions.size() > 1 ? positions.poll() : positions.peek());
                    }
                    case "setString", "close" -> null;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private static ResultSet position(String[] lsnAndTimeline) {
        return (ResultSet) Proxy.newProxyInstance(FakePools.class.getClassLoader(), new Class<?>[] {ResultSet.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "next" -> true;
                    case "getString" -> lsnAndTimeline[0];
                    case "getLong" -> Long.parseLong(lsnAndTimeline[1]);
                    case "close" -> null;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
