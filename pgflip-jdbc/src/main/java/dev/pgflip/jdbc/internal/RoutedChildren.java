package dev.pgflip.jdbc.internal;

import java.lang.invoke.MethodHandle;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * What a routing connection hands out (statements, their result sets, its database metadata), wrapped so that every
 * way back to a connection ({@code Statement.getConnection()}, {@code ResultSet.getStatement().getConnection()},
 * {@code DatabaseMetaData.getConnection()}) leads to the routing connection, never to the pooled one under it. Code
 * that closed or reconfigured the pooled one would act behind pgflip's back: a connection back in its pool while the
 * routing connection still uses it, a read-only flag left on a writer. Their failures reach the cluster like the
 * connection's own, so a dead host is noticed from a failed {@code next()} too.
 */
final class RoutedChildren {
    // One proxy class per interface set, its constructor resolved once (see RoutingConnection): a statement and its
    // result set are two proxies per query on the hot path.
    private static final MethodHandle STATEMENT_PROXY = RoutingConnection.proxyConstructor(Statement.class);
    private static final MethodHandle PREPARED_PROXY = RoutingConnection.proxyConstructor(PreparedStatement.class);
    private static final MethodHandle CALLABLE_PROXY = RoutingConnection.proxyConstructor(CallableStatement.class);
    private static final MethodHandle RESULT_SET_PROXY = RoutingConnection.proxyConstructor(ResultSet.class);
    private static final MethodHandle METADATA_PROXY = RoutingConnection.proxyConstructor(DatabaseMetaData.class);

    private final Connection connection;
    private final HostPool pool;
    private final Cluster cluster;

    /** The children of {@code connection} (the routing proxy), which borrowed from {@code pool}. */
    RoutedChildren(Connection connection, HostPool pool, Cluster cluster) {
        this.connection = connection;
        this.pool = pool;
        this.cluster = cluster;
    }

    /**
     * {@code result}, returned by a method declared to return {@code declared}, wrapped if it can lead back to a
     * connection; {@code producer} is the statement proxy that made it, or null. Which it may be is read from the
     * declared type (a reference compare) rather than from three interface checks on every result, a boolean or a
     * String most of the time: this runs on every call a statement or result set passes on. Only a method declared to
     * return Object ({@code getObject}: a refcursor is a ResultSet) is judged by what it returned.
     */
    Object wrap(Object result, Class<?> declared, Object producer) {
        if (result == null) {
            return null;
        }
        if (declared == ResultSet.class) {
            return resultSet(result, producer);
        }
        if (declared == PreparedStatement.class || declared == Statement.class || declared == CallableStatement.class) {
            return statement(result);
        }
        if (declared == DatabaseMetaData.class) {
            return metaData(result);
        }
        if (declared != Object.class) {
            return result;
        }
        if (result instanceof Statement) {
            return statement(result);
        }
        if (result instanceof ResultSet) {
            return resultSet(result, producer);
        }
        if (result instanceof DatabaseMetaData) {
            return metaData(result);
        }
        return result;
    }

    private Object statement(Object statement) {
        MethodHandle proxy = statement instanceof CallableStatement ? CALLABLE_PROXY
                : statement instanceof PreparedStatement ? PREPARED_PROXY : STATEMENT_PROXY;
        return RoutingConnection.instantiate(proxy, new Child(statement, "getConnection", connection, true));
    }

    /** Without a producer (a metadata query, a refcursor) getStatement() would reach the pooled one: wrapped too. */
    private Object resultSet(Object resultSet, Object producer) {
        return RoutingConnection.instantiate(RESULT_SET_PROXY, new Child(resultSet, "getStatement", producer, false));
    }

    private Object metaData(Object metaData) {
        return RoutingConnection.instantiate(METADATA_PROXY, new Child(metaData, "getConnection", connection, false));
    }

    /** One wrapped object: its back-reference answered here, everything else passed to the pooled object. */
    private final class Child implements InvocationHandler {
        private final Object target;
        private final String backReference;
        private final Object backTo;
        /** Its proxy is a statement: the producer of the result sets it returns. */
        private final boolean statement;

        Child(Object target, String backReference, Object backTo, boolean statement) {
            this.target = target;
            this.backReference = backReference;
            this.backTo = backTo;
            this.statement = statement;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            String name = method.getName();
            if (args == null) {
                if (backTo != null && name.equals(backReference)) {
                    return backTo;
                }
                if (name.equals("hashCode")) {
                    return System.identityHashCode(proxy);
                }
            } else if (args.length == 1) {
                if (name.equals("equals")) {
                    return proxy == args[0];
                }
                if (args[0] instanceof Class<?> type && type.isInstance(proxy)) {
                    if (name.equals("unwrap")) {
                        return proxy;
                    }
                    if (name.equals("isWrapperFor")) {
                        return true;
                    }
                }
            }
            try {
                return wrap(method.invoke(target, args), method.getReturnType(), statement ? proxy : null);
            } catch (InvocationTargetException e) {
                if (e.getCause() instanceof SQLException sql) {
                    cluster.reportFailure(pool, sql);
                }
                throw e.getCause();
            }
        }
    }
}
