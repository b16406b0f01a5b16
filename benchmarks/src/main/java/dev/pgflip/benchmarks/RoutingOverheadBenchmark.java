package dev.pgflip.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.pgflip.jdbc.ClusterDataSource;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
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
 * What pgflip's routing costs per unit of work: {@code getConnection()} + one point query + close, through
 * {@link ClusterDataSource} and through a raw {@link HikariDataSource} on the same host with the same pool size and
 * the same pgjdbc socket settings, in the same run. Pairs: {@code pgflip*} vs {@code raw*} on the write endpoint
 * (the FLIP), {@code pgflipRead*} vs {@code rawRead*} on the first reader (the standby). The ratio of a pair is the
 * overhead; the server round trip dominates both, so the difference is pgflip's own code on the borrow path.
 *
 * <p>On a shared machine the load drifts between benchmarks run one after the other; the {@code pair*} groups run
 * pgflip and raw at the same time, one thread each, so both see the same load and their ratio is the figure to
 * quote ({@code java -jar benchmarks.jar pair}).
 *
 * <p>Needs a running lab and its environment: {@code ./pgflip lab up && eval "$(./pgflip lab env)"}, then
 * {@code java -jar benchmarks/target/benchmarks.jar -f 1 -wi 3 -i 5 -t 4}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(1)
public class RoutingOverheadBenchmark {
    static final int POOL_SIZE = 10;
    static final int ROWS = 1000;
    static final String POINT_QUERY = "SELECT v FROM pgflip_bench_point WHERE id = ?";

    private ClusterDataSource pgflip;
    private HikariDataSource raw;
    private HikariDataSource rawRead;
    /** A second raw pool on the first reader: {@code pairReadPointControl} runs it against {@link #rawRead}. */
    private HikariDataSource rawReadTwin;

    @Setup(Level.Trial)
    public void setUp() throws SQLException {
        LabEndpoints lab = LabEndpoints.fromEnvironment(System.getenv());
        var builder = ClusterDataSource.builder()
                .write(lab.write())
                .read(lab.read().toArray(String[]::new))
                .database(lab.database()).user(lab.user())
                .maxPoolSize(POOL_SIZE).minIdle(POOL_SIZE).idleTimeout(Duration.ofSeconds(30));
        if (lab.password() != null) {
            builder.password(lab.password());
        }
        pgflip = builder.build();
        raw = hikari("raw-writer", lab.write(), lab);
        rawRead = hikari("raw-reader", lab.read().get(0), lab);
        rawReadTwin = hikari("raw-reader-twin", lab.read().get(0), lab);
        createTable();
    }

    /** A plain HikariCP pool as an application would configure it, with pgflip's pool size and socket settings. */
    private static HikariDataSource hikari(String name, String host, LabEndpoints lab) {
        HikariConfig hc = new HikariConfig();
        hc.setPoolName(name);
        hc.setJdbcUrl("jdbc:postgresql://" + host + "/" + lab.database());
        hc.setUsername(lab.user());
        if (lab.password() != null) {
            hc.setPassword(lab.password());
        }
        hc.setMaximumPoolSize(POOL_SIZE);
        hc.setMinimumIdle(POOL_SIZE);
        hc.setIdleTimeout(30_000);
        hc.addDataSourceProperty("tcpKeepAlive", "true");
        hc.addDataSourceProperty("connectTimeout", "2");
        hc.addDataSourceProperty("socketTimeout", "30");
        return new HikariDataSource(hc);
    }

    private void createTable() throws SQLException {
        try (Connection c = raw.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS pgflip_bench_point (id int PRIMARY KEY, v text NOT NULL)");
            s.execute("INSERT INTO pgflip_bench_point SELECT g, md5(g::text) FROM generate_series(1, " + ROWS + ") g"
                    + " ON CONFLICT DO NOTHING");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (pgflip != null) {
            pgflip.close();
        }
        if (raw != null) {
            raw.close();
        }
        if (rawRead != null) {
            rawRead.close();
        }
        if (rawReadTwin != null) {
            rawReadTwin.close();
        }
    }

    @Benchmark
    public int pgflipSelect1() throws SQLException {
        return select1(pgflip);
    }

    @Benchmark
    public int rawSelect1() throws SQLException {
        return select1(raw);
    }

    @Benchmark
    public String pgflipPointQuery() throws SQLException {
        try (Connection c = pgflip.getConnection()) {
            return point(c);
        }
    }

    @Benchmark
    public String rawPointQuery() throws SQLException {
        try (Connection c = raw.getConnection()) {
            return point(c);
        }
    }

    @Benchmark
    public String pgflipReadPointQuery() throws SQLException {
        try (Connection c = pgflip.getReadConnection()) {
            return point(c);
        }
    }

    @Benchmark
    public String rawReadPointQuery() throws SQLException {
        try (Connection c = rawRead.getConnection()) {
            return point(c);
        }
    }

    @Benchmark
    @Group("pairSelect1")
    @GroupThreads(1)
    public int pairSelect1Pgflip() throws SQLException {
        return pgflipSelect1();
    }

    @Benchmark
    @Group("pairSelect1")
    @GroupThreads(1)
    public int pairSelect1Raw() throws SQLException {
        return rawSelect1();
    }

    @Benchmark
    @Group("pairPoint")
    @GroupThreads(1)
    public String pairPointPgflip() throws SQLException {
        return pgflipPointQuery();
    }

    @Benchmark
    @Group("pairPoint")
    @GroupThreads(1)
    public String pairPointRaw() throws SQLException {
        return rawPointQuery();
    }

    @Benchmark
    @Group("pairReadPoint")
    @GroupThreads(1)
    public String pairReadPointPgflip() throws SQLException {
        return pgflipReadPointQuery();
    }

    @Benchmark
    @Group("pairReadPoint")
    @GroupThreads(1)
    public String pairReadPointRaw() throws SQLException {
        return rawReadPointQuery();
    }

    /**
     * The control of {@code pairReadPoint}: the same two threads, both raw, on two pools of the same reader. Its ratio
     * is what the pair measures with no pgflip in it (how the two threads and their backends share the cores).
     */
    @Benchmark
    @Group("pairReadPointControl")
    @GroupThreads(1)
    public String pairReadPointControlRaw() throws SQLException {
        return rawReadPointQuery();
    }

    @Benchmark
    @Group("pairReadPointControl")
    @GroupThreads(1)
    public String pairReadPointControlTwin() throws SQLException {
        try (Connection c = rawReadTwin.getConnection()) {
            return point(c);
        }
    }

    @Benchmark
    public Object interleavedSelect1(PairedTimes times) throws SQLException {
        return times.both(() -> select1(pgflip), () -> select1(raw));
    }

    @Benchmark
    public Object interleavedPoint(PairedTimes times) throws SQLException {
        return times.both(() -> pgflipPointQuery(), () -> rawPointQuery());
    }

    @Benchmark
    public Object interleavedReadPoint(PairedTimes times) throws SQLException {
        return times.both(() -> pgflipReadPointQuery(), () -> rawReadPointQuery());
    }

    /** One unit of work: borrow, query, close. */
    @FunctionalInterface
    interface Unit {
        Object run() throws SQLException;
    }

    /**
     * The {@code interleaved*} benchmarks run one pgflip unit and one raw unit back to back in the same thread,
     * alternating which goes first, and time each: both sides of a pair see the same load within ~0.1 ms, where the
     * {@code pair*} groups' two threads can be scheduled apart for a whole time slice on a loaded 2-core machine. JMH
     * prints each side's summed time ({@code pgflipNanos}, {@code rawNanos}); at the end of each iteration this state
     * prints each side's median unit and their ratio, which a unit delayed by a time slice (a few ms, one unit in
     * hundreds) does not move the way it moves the sums.
     *
     * <p>Both still swing 0.7-1.7 between iterations on the 2-core lab: each side has its own pooled connection,
     * so its own server backend, and where the scheduler puts that backend against the client thread changes a
     * round trip by tens of microseconds. pgflip's own cost is CPU on the calling thread, which that does not move:
     * {@code pgflipCpuNanos} and {@code rawCpuNanos} sum the calling thread's CPU time per unit
     * ({@link ThreadMXBean#getCurrentThreadCpuTime}: pgflip's code, pgjdbc's, the socket calls), and the line printed
     * after each iteration gives what pgflip adds per unit and that as a share of the raw unit's median time.
     */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class PairedTimes {
        public long pgflipNanos;
        public long rawNanos;
        public long pgflipCpuNanos;
        public long rawCpuNanos;
        private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        private boolean pgflipFirst;
        private Object lastResult;
        private UnitTimes pgflipUnits = new UnitTimes();
        private UnitTimes rawUnits = new UnitTimes();

        @Setup(Level.Iteration)
        public void reset() {
            pgflipNanos = 0;
            rawNanos = 0;
            pgflipCpuNanos = 0;
            rawCpuNanos = 0;
            pgflipUnits = new UnitTimes();
            rawUnits = new UnitTimes();
        }

        @TearDown(Level.Iteration)
        public void printMedians() {
            long pgflipMedian = pgflipUnits.median();
            long rawMedian = rawUnits.median();
            int pairs = rawUnits.count();
            double cpuAddedNanos = pairs == 0 ? Double.NaN : (double) (pgflipCpuNanos - rawCpuNanos) / pairs;
            System.out.printf("%n    median unit: pgflip %.1f us, raw %.1f us, pgflip/raw %.3f (%d pairs)"
                            + "; caller CPU per unit: pgflip %.1f us, raw %.1f us, pgflip adds %.1f us = %.1f %% of the"
                            + " raw median%n",
                    pgflipMedian / 1e3, rawMedian / 1e3, rawMedian == 0 ? Double.NaN : (double) pgflipMedian / rawMedian,
                    pairs, pgflipCpuNanos / 1e3 / pairs, rawCpuNanos / 1e3 / pairs, cpuAddedNanos / 1e3,
                    100 * cpuAddedNanos / rawMedian);
        }

        Object both(Unit pgflipUnit, Unit rawUnit) throws SQLException {
            pgflipFirst = !pgflipFirst;
            if (pgflipFirst) {
                pgflip(pgflipUnit);
                raw(rawUnit);
            } else {
                raw(rawUnit);
                pgflip(pgflipUnit);
            }
            return lastResult;
        }

        private void pgflip(Unit unit) throws SQLException {
            long[] wallAndCpu = timed(unit);
            pgflipNanos += pgflipUnits.add(wallAndCpu[0]);
            pgflipCpuNanos += wallAndCpu[1];
        }

        private void raw(Unit unit) throws SQLException {
            long[] wallAndCpu = timed(unit);
            rawNanos += rawUnits.add(wallAndCpu[0]);
            rawCpuNanos += wallAndCpu[1];
        }

        /** The unit's wall time and the calling thread's CPU time, in ns. */
        private long[] timed(Unit unit) throws SQLException {
            long cpu = threads.getCurrentThreadCpuTime();
            long start = System.nanoTime();
            lastResult = unit.run();
            return new long[] {System.nanoTime() - start, threads.getCurrentThreadCpuTime() - cpu};
        }
    }

    /** One side's unit times in an iteration (a 5 s iteration holds some 20 000). */
    static final class UnitTimes {
        private long[] nanos = new long[32_768];
        private int count;

        long add(long unitNanos) {
            if (count == nanos.length) {
                nanos = Arrays.copyOf(nanos, count * 2);
            }
            nanos[count++] = unitNanos;
            return unitNanos;
        }

        int count() {
            return count;
        }

        long median() {
            if (count == 0) {
                return 0;
            }
            long[] sorted = Arrays.copyOf(nanos, count);
            Arrays.sort(sorted);
            return sorted[count / 2];
        }
    }

    private static int select1(DataSource ds) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT 1")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static String point(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(POINT_QUERY)) {
            ps.setInt(1, ThreadLocalRandom.current().nextInt(1, ROWS + 1));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    /** The lab's endpoints as {@code ./pgflip lab env} exports them. */
    record LabEndpoints(String write, List<String> read, String database, String user, String password) {

        static LabEndpoints fromEnvironment(Map<String, String> env) {
            String write = env.get("PGFLIP_WRITE");
            String read = env.get("PGFLIP_READ");
            if (write == null || write.isBlank() || read == null || read.isBlank()) {
                throw new IllegalStateException("pgflip benchmarks need a running lab and its environment:"
                        + " PGFLIP_WRITE=" + write + " PGFLIP_READ=" + read + "; run"
                        + " './pgflip lab up && eval \"$(./pgflip lab env)\"' first");
            }
            List<String> readers = Arrays.stream(read.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
            return new LabEndpoints(write.trim(), readers, env.getOrDefault("PGDATABASE", "postgres"),
                    env.getOrDefault("PGUSER", "postgres"), password(env));
        }

        /** PGFLIP_PASSWORD or PGPASSWORD; null lets pgjdbc read the pgpass file the lab env names (PGPASSFILE). */
        private static String password(Map<String, String> env) {
            for (String variable : List.of("PGFLIP_PASSWORD", "PGPASSWORD")) {
                String value = env.get(variable);
                if (value != null && !value.isEmpty()) {
                    return value;
                }
            }
            return null;
        }
    }
}
