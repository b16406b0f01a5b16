package dev.pgflip.benchmarks;

import dev.pgflip.jdbc.ClusterConfig;
import dev.pgflip.jdbc.ClusterDataSource;
import dev.pgflip.jdbc.HostSpec;
import dev.pgflip.jdbc.internal.Cluster;
import dev.pgflip.jdbc.internal.ConnectionSource;
import dev.pgflip.jdbc.internal.Deadline;
import dev.pgflip.jdbc.internal.ProbeResult;
import dev.pgflip.jdbc.internal.RoutingConnection;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * pgflip's own CPU cost per unit of work, in process, with no network and no server: the unit of
 * {@link RoutingOverheadBenchmark} (borrow, prepareStatement, setInt, executeQuery, next, getString, close all) through
 * pgflip's layers ({@code pgflip*}: {@link RoutingConnection}, {@code Cluster.borrowWriter/borrowReader}, the routers,
 * {@code HostPool}, the wrapped statement and result set) and directly on the same fake pooled connection
 * ({@code direct}: the pool's connection as HikariCP would lend it). The difference of a pair is what pgflip adds.
 *
 * <p>The cluster is a real {@link Cluster} over a fake {@link dev.pgflip.jdbc.internal.PoolFactory}, never started:
 * no monitor runs; the trackers are given one scripted probe answer each (the writer a primary, the readers a primary
 * and a standby), as {@code ClusterRoutingTest} does. {@code pgflip*} borrow as {@link ClusterDataSource#getConnection}
 * and {@link ClusterDataSource#getReadConnection} do (a deadline, then a routing connection that borrows at its first
 * statement). The pooled connection, statement and result set are JDK proxies handing out the same objects every
 * time: they cost the same on both sides.
 *
 * <p>JMH's score is wall time per unit; on a loaded machine the line {@link CallerCpu} prints after each iteration (the
 * calling thread's CPU per unit, what {@code RoutingOverheadBenchmark.interleaved*} reports on the lab) is the figure
 * to compare, with {@code -prof gc}'s bytes allocated per unit. On such a machine the JIT's threads are starved too,
 * and an interpreted or C1-compiled unit costs several microseconds through pgflip: add
 * {@code -jvmArgsAppend "-Xbatch -XX:-TieredCompilation"} so the measured iterations run C2's code.
 *
 * <p>What it cannot show: anything HikariCP, pgjdbc, the socket or the server cost (the fakes do nothing), contention
 * between callers (one thread), and what the monitors' threads take from the caller's core on a loaded machine.
 * {@link RoutingOverheadBenchmark} measures the whole unit on the lab.
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar BorrowPath -f 1 -wi 2 -i 3 -w 2 -r 2 -prof gc
 * java -jar benchmarks/target/benchmarks.jar BorrowPath -f 1 -wi 3 -i 3 -w 2 -r 2 -prof gc \
 *     -jvmArgsAppend "-Xbatch -XX:-TieredCompilation"
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class BorrowPathBenchmark {
    private static final HostSpec FLIP = HostSpec.parse("198.18.0.100:5432");
    private static final HostSpec N1 = HostSpec.parse("198.18.0.11:5432");
    private static final HostSpec N2 = HostSpec.parse("198.18.0.12:5432");
    private static final Duration BORROW_TIMEOUT = Duration.ofSeconds(10);

    private final FakeSource source = new FakeSource();
    private Cluster cluster;
    private int id;

    @Setup(Level.Trial)
    public void setUp() {
        ClusterConfig config = ClusterDataSource.builder().name("bench").write(FLIP.toString())
                .read(N1.toString(), N2.toString()).database("postgres").user("postgres").config();
        cluster = new Cluster(config, (host, role, inRecoveryToo, name) -> source);
        cluster.writer().tracker().answered(new ProbeResult(false, false, Duration.ZERO, "0/5000100", 2));
        cluster.reader(N1).tracker().answered(new ProbeResult(false, false, Duration.ZERO, "0/5000100", 2));
        cluster.reader(N2).tracker().answered(new ProbeResult(true, true, Duration.ZERO, "0/5000100", 2));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        cluster.close();
    }

    /** The unit on the pooled connection itself: what an application on the bare pool runs. */
    @Benchmark
    public String direct(CallerCpu cpu) throws SQLException {
        cpu.units++;
        try (Connection c = source.connection(1000)) {
            return point(c);
        }
    }

    /** The unit through {@code ClusterDataSource.getConnection()}: routed to the writer. */
    @Benchmark
    public String pgflipWrite(CallerCpu cpu) throws SQLException {
        cpu.units++;
        cluster.ensureOpen();
        Deadline deadline = Deadline.after(BORROW_TIMEOUT);
        try (Connection c = RoutingConnection.create(readOnly -> readOnly ? cluster.borrowReader(deadline)
                : cluster.borrowWriter(deadline), cluster, false)) {
            return point(c);
        }
    }

    /** The unit through {@code ClusterDataSource.getReadConnection()}: routed to the standby. */
    @Benchmark
    public String pgflipRead(CallerCpu cpu) throws SQLException {
        cpu.units++;
        cluster.ensureOpen();
        Deadline deadline = Deadline.after(BORROW_TIMEOUT);
        try (Connection c = RoutingConnection.create(readOnly -> cluster.borrowReader(deadline), cluster, true)) {
            return point(c);
        }
    }

    /**
     * The calling thread's CPU time per unit over each iteration, printed after it: on a machine shared with lab drills
     * (load 10-30 on 2 cores, this JVM at nice 19) the wall time per unit JMH reports mostly measures how long the
     * thread waited for a core, while its CPU time does not move with that. Units run between JMH's own iteration
     * bounds (its warm-down calls included) are counted and timed alike.
     */
    @State(Scope.Thread)
    public static class CallerCpu {
        private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        private long startCpuNanos;
        long units;

        @Setup(Level.Iteration)
        public void start() {
            units = 0;
            startCpuNanos = threads.getCurrentThreadCpuTime();
        }

        @TearDown(Level.Iteration)
        public void report() {
            long cpu = threads.getCurrentThreadCpuTime() - startCpuNanos;
            System.out.printf("%n    caller CPU per unit: %.1f ns (%d units, %.2f s CPU)%n", (double) cpu / units,
                    units, cpu / 1e9);
        }
    }

    private String point(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(RoutingOverheadBenchmark.POINT_QUERY)) {
            ps.setInt(1, (id++ & 1023) + 1);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    /**
     * A pool that lends the same connection every time, whose statement and result set are the same objects every
     * time: the fakes allocate nothing but their proxies' argument arrays, so what a pair differs by is pgflip's.
     */
    static final class FakeSource implements ConnectionSource {
        private final ResultSet resultSet = proxy(ResultSet.class, (p, m, a) -> switch (m.getName()) {
            case "next" -> Boolean.TRUE;
            case "getString" -> "c4ca4238a0b923820dcc509a6f75849b";
            case "close" -> null;
            default -> Proxies.unexpected(p, m, a);
        });
        private final PreparedStatement statement = proxy(PreparedStatement.class, (p, m, a) -> switch (m.getName()) {
            case "executeQuery" -> resultSet;
            case "setInt", "close" -> null;
            default -> Proxies.unexpected(p, m, a);
        });
        private final Connection connection = proxy(Connection.class, (p, m, a) -> switch (m.getName()) {
            case "prepareStatement" -> statement;
            case "close", "setReadOnly", "setAutoCommit" -> null;
            // One fake for both roles, read-write: a reader's unit also calls setReadOnly(true) here, which a real
            // reader's connection (read-only from its pool) does not need.
            case "isClosed", "isReadOnly" -> Boolean.FALSE;
            default -> Proxies.unexpected(p, m, a);
        });

        @Override
        public Connection connection(long timeoutMillis) {
            return connection;
        }

        @Override
        public boolean evictIdle() {
            return true;
        }

        @Override
        public String poolName() {
            return "fake";
        }

        @Override
        public void close() {
        }
    }

    /** What the fakes answer besides the unit's own calls. */
    static final class Proxies {
        private Proxies() {
        }

        static Object unexpected(Object proxy, java.lang.reflect.Method m, Object[] args) {
            return switch (m.getName()) {
                case "hashCode" -> System.identityHashCode(proxy);
                case "equals" -> proxy == args[0];
                case "toString" -> "fake " + m.getDeclaringClass().getSimpleName();
                default -> throw new UnsupportedOperationException(m.getName());
            };
        }
    }

    private static <T> T proxy(Class<T> type, InvocationHandler handler) {
        return type.cast(Proxy.newProxyInstance(BorrowPathBenchmark.class.getClassLoader(), new Class<?>[] {type},
                handler));
    }
}
