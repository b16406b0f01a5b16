package dev.pgflip.jdbc.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * A connection that picks its host at its first real use, by intent: {@code setReadOnly(true)} before the first
 * statement sends it to a reader (how Spring's {@code @Transactional(readOnly = true)} and JPA read-only hints speak),
 * otherwise it goes to the writer. Until then setReadOnly, setAutoCommit and setTransactionIsolation are remembered
 * and applied to the connection borrowed. Once borrowed, the host stays: reads inside a write transaction stay on the
 * writer. Failures of the connection or its statements are reported to the cluster, which evicts and re-probes. The
 * statements, result sets and metadata it hands out lead back to it, not to the pooled connection (see
 * {@link RoutedChildren}).
 */
public final class RoutingConnection implements InvocationHandler {

    /** Borrows the connection for a given intent. */
    @FunctionalInterface
    public interface Borrower {
        Lease borrow(boolean readOnly) throws SQLException;
    }

    /** Lets pgflip ask a routing connection where it went. */
    public interface Routed {
        Lease lease();
    }

    // Proxy.newProxyInstance looks the proxy class up by its interfaces on every call; resolving each constructor once
    // keeps that lookup off the borrow path (a few proxies per unit of work: the connection, its statement and result
    // set, see RoutedChildren). As a method handle: Constructor.newInstance checks the caller's access on every call,
    // which took a fifth of a writer unit's CPU in BorrowPathBenchmark; a handle is checked once, when looked up.
    private static final MethodHandle CONNECTION_PROXY = proxyConstructor(Connection.class, Routed.class);

    private final Borrower borrower;
    private final Cluster cluster;
    private Connection self;
    private Lease lease;
    private RoutedChildren children;
    private boolean closed;
    private boolean readOnly;
    private Boolean autoCommit;
    private Integer isolation;

    private RoutingConnection(Borrower borrower, Cluster cluster, boolean readOnly) {
        this.borrower = borrower;
        this.cluster = cluster;
        this.readOnly = readOnly;
    }

    public static Connection create(Borrower borrower, Cluster cluster, boolean readOnly) {
        RoutingConnection handler = new RoutingConnection(borrower, cluster, readOnly);
        handler.self = (Connection) instantiate(CONNECTION_PROXY, handler);
        return handler.self;
    }

    /** The proxy class constructor for {@code interfaces}, as a handle typed {@code (InvocationHandler)Object}. */
    static MethodHandle proxyConstructor(Class<?>... interfaces) {
        Object probe = Proxy.newProxyInstance(RoutingConnection.class.getClassLoader(), interfaces, (p, m, a) -> null);
        try {
            // Looked up as this class: the access Constructor.newInstance checked on every call, checked once here.
            return MethodHandles.lookup()
                    .findConstructor(probe.getClass(), MethodType.methodType(void.class, InvocationHandler.class))
                    .asType(MethodType.methodType(Object.class, InvocationHandler.class));
        } catch (NoSuchMethodException | IllegalAccessException e) {
            throw new IllegalStateException("a JDK proxy class without its public (InvocationHandler) constructor", e);
        }
    }

    static Object instantiate(MethodHandle proxy, InvocationHandler handler) {
        try {
            return (Object) proxy.invokeExact(handler);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("cannot instantiate a proxy " + proxy.type(), e);
        }
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        switch (method.getName()) {
            case "lease": return lease;
            case "toString": return "pgflip connection " + (lease == null ? "(not borrowed yet, readOnly=" + readOnly + ")"
                    : "on " + lease.pool());
            case "hashCode": return System.identityHashCode(proxy);
            case "equals": return proxy == args[0];
            case "close": close(); return null;
            case "isClosed": return closed || (lease != null && lease.connection().isClosed());
            case "abort":
                if (lease != null) {
                    lease.connection().abort((java.util.concurrent.Executor) args[0]);
                }
                closed = true;
                return null;
            default: break;
        }
        if (lease == null && !closed) {
            Object deferred = deferred(method, args);
            if (deferred != NOT_DEFERRED) {
                return deferred;
            }
        }
        if (closed) {
            throw new SQLException("pgflip: connection is closed", "08003");
        }
        if (method.getName().equals("unwrap") && args[0] instanceof Class<?> type && type.isInstance(proxy)) {
            return proxy;
        }
        Connection target = target();
        try {
            return children.wrap(method.invoke(target, args), method.getReturnType(), null);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof SQLException sql) {
                cluster.reportFailure(lease.pool(), sql);
            }
            throw e.getCause();
        }
    }

    private static final Object NOT_DEFERRED = new Object();

    /** The calls that need no server yet: they are remembered (or answered) without borrowing. */
    private Object deferred(Method method, Object[] args) {
        switch (method.getName()) {
            case "setReadOnly": readOnly = (Boolean) args[0]; return null;
            case "isReadOnly": return readOnly;
            case "setAutoCommit": autoCommit = (Boolean) args[0]; return null;
            case "getAutoCommit": return autoCommit == null || autoCommit;
            case "setTransactionIsolation": isolation = (Integer) args[0]; return null;
            case "commit", "rollback", "clearWarnings":
                return method.getParameterCount() == 0 ? null : NOT_DEFERRED;
            case "getWarnings": return null;
            case "isWrapperFor":
                return args[0] instanceof Class<?> type && type.isInstance(self) ? Boolean.TRUE : NOT_DEFERRED;
            default: return NOT_DEFERRED;
        }
    }

    private Connection target() throws SQLException {
        if (lease == null) {
            lease = borrower.borrow(readOnly);
            children = new RoutedChildren(self, lease.pool(), cluster);
            Connection c = lease.connection();
            try {
                // A reader's connection is read-only already (HikariPoolFactory), a writer's is not: set only where
                // the intent differs (a read that fell back to the writer, a read connection set read-write).
                if (c.isReadOnly() != readOnly) {
                    c.setReadOnly(readOnly);
                }
                if (autoCommit != null) {
                    c.setAutoCommit(autoCommit);
                }
                if (isolation != null) {
                    c.setTransactionIsolation(isolation);
                }
            } catch (SQLException e) {
                cluster.reportFailure(lease.pool(), e);
                throw e;
            }
        }
        return lease.connection();
    }

    private void close() throws SQLException {
        if (closed) {
            return;
        }
        closed = true;
        if (lease != null) {
            lease.close();
        }
    }
}
