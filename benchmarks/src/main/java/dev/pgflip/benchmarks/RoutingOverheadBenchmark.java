package dev.pgflip.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.pgflip.jdbc.ClusterDataSource;
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
    private static final String POINT_QUERY = "SELECT v FROM pgflip_bench_point WHERE id = ?";

    private ClusterDataSource pgflip;
    private HikariDataSource raw;
    private HikariDataSource rawRead;

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
