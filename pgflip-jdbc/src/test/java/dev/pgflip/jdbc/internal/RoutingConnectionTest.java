package dev.pgflip.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pgflip.jdbc.ClusterDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a routing connection hands out leads back to it, never to the pooled connection under it. The pooled
 * connection is a JDK proxy whose statements, result sets and metadata lead back to itself, as HikariCP's do; the pool
 * is a real HostPool of a cluster that is never started (its host, a closed port, is never asked).
 */
class RoutingConnectionTest {
    private static final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private static Cluster cluster;

    private final SQLException ioError = new SQLException("An I/O error occurred while sending to the backend.", "08006");
    private Connection pooled;
    private Connection routing;

    @BeforeAll
    static void cluster() {
        cluster = new Cluster(ClusterDataSource.builder().write("127.0.0.1:1").database("postgres").user("postgres")
                .meterRegistry(registry).config());
    }

    @AfterAll
    static void close() {
        cluster.close();
    }

    @BeforeEach
    void borrowOnFirstUse() {
        pooled = pooledConnection();
        routing = RoutingConnection.create(readOnly -> new Lease(cluster.writer().pool(), pooled), cluster, false);
    }

    @Test
    void closingAConnectionWhosePoolClosedItUnderTheLeaseIsNoFailure() throws SQLException {
        // HikariCP's proxy, its pool entry closed by a shutdown or an eviction while lent: close() throws an NPE from
        // its state reset. A committed write must not be reported failed over it (seen in the kill drill).
        Connection closedUnder = proxy(Connection.class, (p, m, a) -> {
            if (m.getName().equals("close")) {
                throw new NullPointerException("Cannot invoke \"java.sql.Connection.setAutoCommit(boolean)\" because"
                        + " \"connection\" is null");
            }
            return defaultValue(m.getReturnType());
        });
        Connection c = RoutingConnection.create(readOnly -> new Lease(cluster.writer().pool(), closedUnder), cluster,
                false);
        c.setAutoCommit(false);
        c.isValid(1); // the first real use: borrows
        c.commit();

        c.close();

        assertThat(c.isClosed()).isTrue();
    }

    @Test
    void theReadOnlyFlagIsSetOnlyWhereThePooledConnectionDiffersFromTheIntent() throws SQLException {
        // A reader's pooled connection is read-only from its pool (HikariPoolFactory), a writer's is not.
        java.util.List<Boolean> set = new java.util.ArrayList<>();
        java.util.function.Function<Boolean, Connection> pooledReadOnly = initially -> {
            boolean[] readOnly = {initially};
            return proxy(Connection.class, (p, m, a) -> switch (m.getName()) {
                case "isReadOnly" -> readOnly[0];
                case "setReadOnly" -> {
                    set.add((Boolean) a[0]);
                    readOnly[0] = (Boolean) a[0];
                    yield null;
                }
                default -> defaultValue(m.getReturnType());
            });
        };

        Connection read = RoutingConnection.create(ro -> new Lease(cluster.writer().pool(), pooledReadOnly.apply(true)),
                cluster, true);
        read.isValid(1);
        assertThat(set).as("a read on a reader's read-only connection").isEmpty();

        Connection readOnWriter = RoutingConnection.create(
                ro -> new Lease(cluster.writer().pool(), pooledReadOnly.apply(false)), cluster, true);
        readOnWriter.isValid(1);
        assertThat(set).as("a read that fell back to the writer").containsExactly(true);

        Connection readWrite = RoutingConnection.create(
                ro -> new Lease(cluster.writer().pool(), pooledReadOnly.apply(true)), cluster, true);
        readWrite.setReadOnly(false);
        readWrite.isValid(1);
        assertThat(set).as("a read connection the caller set read-write").containsExactly(true, false);
        assertThat(readWrite.isReadOnly()).isFalse();

        Connection write = RoutingConnection.create(
                ro -> new Lease(cluster.writer().pool(), pooledReadOnly.apply(false)), cluster, false);
        write.isValid(1);
        assertThat(set).as("a write on a writer's connection").containsExactly(true, false);
    }

    @Test
    void aStatementLeadsBackToTheRoutingConnection() throws SQLException {
        Statement st = routing.createStatement();
        assertThat(st.getConnection()).isSameAs(routing).isNotSameAs(pooled);
        PreparedStatement ps = routing.prepareStatement("SELECT 1");
        assertThat(ps.getConnection()).isSameAs(routing);
        CallableStatement call = routing.prepareCall("{call f()}");
        assertThat(call.getConnection()).isSameAs(routing);
    }

    @Test
    void aResultSetLeadsBackToTheStatementThatMadeIt() throws SQLException {
        Statement st = routing.createStatement();
        assertThat(st.executeQuery("SELECT 1").getStatement()).isSameAs(st);
        assertThat(st.execute("SELECT 1")).isTrue();
        assertThat(st.getResultSet().getStatement()).isSameAs(st);
        assertThat(st.getGeneratedKeys().getStatement()).isSameAs(st);
        PreparedStatement ps = routing.prepareStatement("SELECT 1");
        assertThat(ps.executeQuery().getStatement()).isSameAs(ps);
        assertThat(ps.executeQuery().getStatement().getConnection()).isSameAs(routing);
    }

    @Test
    void aResultSetReadAsAColumnValueIsWrappedTooAndOtherValuesAreNot() throws SQLException {
        ResultSet rs = routing.prepareStatement("SELECT refcursor_function(), 'text'").executeQuery();

        Object refcursor = rs.getObject(1);
        assertThat(refcursor).as("a refcursor's result set, declared as Object").isInstanceOf(ResultSet.class);
        assertThat(((ResultSet) refcursor).getStatement().getConnection()).isSameAs(routing).isNotSameAs(pooled);
        assertThat(rs.getObject(2)).isEqualTo("text");
        assertThat(rs.getString(2)).isEqualTo("text");
    }

    @Test
    void theMetadataAndTheResultSetsOfItsQueriesLeadBackToTheRoutingConnection() throws SQLException {
        DatabaseMetaData md = routing.getMetaData();
        assertThat(md.getConnection()).isSameAs(routing).isNotSameAs(pooled);
        ResultSet tables = md.getTables(null, null, "%", null);
        assertThat(tables.getStatement().getConnection()).isSameAs(routing);
        assertThat(md.getDatabaseProductName()).as("everything else from the pooled metadata").isEqualTo("PostgreSQL");
    }

    @Test
    void aWrappedObjectUnwrapsToItselfAndHasItsOwnIdentity() throws SQLException {
        Statement st = routing.createStatement();
        assertThat(st.unwrap(Statement.class)).isSameAs(st);
        assertThat(st.isWrapperFor(Statement.class)).isTrue();
        assertThat(st).isEqualTo(st).isNotEqualTo(routing.createStatement());
        assertThat(st.hashCode()).isEqualTo(System.identityHashCode(st));
        assertThat(routing.getMetaData().unwrap(DatabaseMetaData.class).getConnection()).isSameAs(routing);
    }

    @Test
    void aResultSetThatFailsReportsItsHostLikeAStatementDoes() throws SQLException {
        ResultSet rs = routing.createStatement().executeQuery("SELECT 1");
        double evictions = registry.get("pgflip.evictions").tag("role", "writer").counter().count();

        assertThatThrownBy(rs::next).isSameAs(ioError);

        assertThat(registry.get("pgflip.evictions").tag("role", "writer").counter().count())
                .as("the pool's idle connections were evicted").isEqualTo(evictions + 1);
    }

    /** A pooled connection whose children lead back to it; a result set's next() fails with {@link #ioError}. */
    private Connection pooledConnection() {
        Connection[] self = new Connection[1];
        self[0] = proxy(Connection.class, (p, m, a) -> switch (m.getName()) {
            case "createStatement" -> statement(Statement.class, self[0]);
            case "prepareStatement" -> statement(PreparedStatement.class, self[0]);
            case "prepareCall" -> statement(CallableStatement.class, self[0]);
            case "getMetaData" -> metaData(self[0]);
            default -> defaultValue(m.getReturnType());
        });
        return self[0];
    }

    private Statement statement(Class<? extends Statement> type, Connection connection) {
        Statement[] self = new Statement[1];
        self[0] = proxy(type, (p, m, a) -> switch (m.getName()) {
            case "getConnection" -> connection;
            case "executeQuery", "getResultSet", "getGeneratedKeys" -> resultSet(self[0]);
            case "execute" -> true;
            default -> defaultValue(m.getReturnType());
        });
        return self[0];
    }

    private ResultSet resultSet(Statement statement) {
        return proxy(ResultSet.class, (p, m, a) -> switch (m.getName()) {
            case "getStatement" -> statement;
            case "next" -> throw ioError;
            case "getObject" -> (int) a[0] == 1 ? resultSet(statement) : "text";
            case "getString" -> "text";
            default -> defaultValue(m.getReturnType());
        });
    }

    private DatabaseMetaData metaData(Connection connection) {
        return proxy(DatabaseMetaData.class, (p, m, a) -> switch (m.getName()) {
            case "getConnection" -> connection;
            case "getTables" -> resultSet(statement(Statement.class, connection));
            case "getDatabaseProductName" -> "PostgreSQL";
            default -> defaultValue(m.getReturnType());
        });
    }

    private static <T> T proxy(Class<T> type, InvocationHandler handler) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler));
    }

    private static Object defaultValue(Class<?> type) {
        if (type == boolean.class) {
            return false;
        }
        if (type == int.class) {
            return 0;
        }
        return type == long.class ? (Object) 0L : null;
    }
}
