package dev.pgflip.spring;

import dev.pgflip.jdbc.ClusterConfig;
import dev.pgflip.jdbc.ClusterDataSource;
import dev.pgflip.jdbc.ReaderSelection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The {@code pgflip.*} settings, the same keys as {@link ClusterDataSource#fromProperties}. Only what is set here
 * reaches the builder, so the defaults live in one place ({@link ClusterConfig.Builder}), and the builder validates
 * everything once, naming each bad key. An unknown {@code pgflip.*} key stops the application (a typo such as
 * {@code pgflip.pool.maxx} must not silently leave the default in force).
 *
 * <pre>
 * pgflip:
 *   write: 198.18.0.100:5432               # the floating IP: always the primary
 *   read: 198.18.0.12:5432, 198.18.0.11:5432
 *   database: postgres
 *   pool: { max: 10, idle-timeout: 30s, max-lifetime: 30m }   # HikariCP's names too: maximum-pool-size, ...
 * spring.datasource: { username: postgres, password: ... }   # or pgflip.user / pgflip.password
 * </pre>
 *
 * @param enabled            false leaves the application's DataSource to Spring Boot
 * @param name               names the pools and threads: {@code pgflip-<name>-writer}, {@code pgflip-<name>-reader-1},
 *                           ... (letters, digits, '.', '_', '-'; default a number unique within the JVM)
 * @param write              the write endpoint {@code host[:port]}, normally the floating IP
 * @param read               read endpoints, standbys first; a primary listed here serves reads only when no standby is
 *                           healthy
 * @param database           the database name
 * @param user               the user; default {@code spring.datasource.username}
 * @param password           the password; default {@code spring.datasource.password}; with neither, pgjdbc reads the
 *                           pgpass file ({@code PGPASSFILE} or {@code ~/.pgpass})
 * @param pool               each host's pool
 * @param maxReplicaLag      a standby replaying further behind leaves the read rotation (default 10s)
 * @param retryDeadline      the bound on one retried transaction, retries included (default 10s)
 * @param readYourWritesTimeout how long a read-your-writes read waits for a standby to catch up (default 1s)
 * @param probeInterval      how often each host is probed while healthy (default 500ms)
 * @param probeTimeout       the probe's connect and query timeout (default 1s)
 * @param downAfterProbeFailures failed probes in a row before a host is DOWN and what it lent is aborted (default 2,
 *                           1..10)
 * @param readerSelection    {@code round-robin} (default) or {@code least-busy}
 * @param directWrites       during a failover, write straight to a read host promoted since until the floating IP
 *                           catches up (default true)
 * @param property           pgjdbc connection properties passed to every pool, e.g. {@code pgflip.property.sslmode}
 * @param hikari             HikariCP's other settings passed to every pool, by HikariCP's name or in kebab-case, e.g.
 *                           {@code pgflip.hikari.connection-init-sql}; the ones pgflip chooses are refused
 * @param jmx                one JMX MBean per pool, under HikariCP's name for it (default false)
 */
@ConfigurationProperties(prefix = "pgflip", ignoreUnknownFields = false)
public record PgflipProperties(
        @DefaultValue("true") boolean enabled,
        String name,
        String write,
        List<String> read,
        String database,
        String user,
        String password,
        @DefaultValue Pool pool,
        Duration maxReplicaLag,
        Duration retryDeadline,
        Duration readYourWritesTimeout,
        Duration probeInterval,
        Duration probeTimeout,
        Integer downAfterProbeFailures,
        ReaderSelection readerSelection,
        Boolean directWrites,
        Map<String, String> property,
        Map<String, String> hikari,
        Boolean jmx) {

    /**
     * Each host's HikariCP pool. HikariCP's own names are accepted too ({@code maximum-pool-size} or
     * {@code maximumPoolSize} for {@code max}, {@code minimum-idle} for {@code min-idle}; the others are the same
     * names); giving both names of one setting is an error.
     *
     * @param max                    connections per host pool (default 10)
     * @param minIdle                idle connections kept per host pool (default 0)
     * @param idleTimeout            idle connections are closed after this (default 30s; 0 never, else at least 10s)
     * @param connectionTimeout      how long getting a connection waits at most, including for a writer to come back
     *                               after a failover (default 10s)
     * @param maxLifetime            HikariCP's maxLifetime: a connection is replaced after this (default 30m; 0 never,
     *                               else at least 30s)
     * @param keepaliveTime          HikariCP's keepaliveTime: how often an idle connection is tested (default 2m; 0
     *                               never, else at least 30s and less than max-lifetime)
     * @param leakDetectionThreshold HikariCP's leakDetectionThreshold: a connection lent longer is logged as a possible
     *                               leak (default 0, off; else at least 2s and at most max-lifetime)
     * @param maximumPoolSize        HikariCP's name for {@code max}
     * @param minimumIdle            HikariCP's name for {@code min-idle}
     */
    public record Pool(Integer max, Integer minIdle, Duration idleTimeout, Duration connectionTimeout,
                       Duration maxLifetime, Duration keepaliveTime, Duration leakDetectionThreshold,
                       Integer maximumPoolSize, Integer minimumIdle) {

        @ConstructorBinding
        public Pool {
        }

        /** The settings before HikariCP's own were added (source compatibility). */
        public Pool(Integer max, Integer minIdle, Duration idleTimeout, Duration connectionTimeout) {
            this(max, minIdle, idleTimeout, connectionTimeout, null, null, null, null, null);
        }

        void applyTo(ClusterConfig.Builder b) {
            Integer size = oneOf("pgflip.pool.max", max, "pgflip.pool.maximum-pool-size", maximumPoolSize);
            if (size != null) {
                b.maxPoolSize(size);
            }
            Integer idle = oneOf("pgflip.pool.min-idle", minIdle, "pgflip.pool.minimum-idle", minimumIdle);
            if (idle != null) {
                b.minIdle(idle);
            }
            set(idleTimeout, b::idleTimeout);
            set(connectionTimeout, b::connectionTimeout);
            set(maxLifetime, b::maxLifetime);
            set(keepaliveTime, b::keepaliveTime);
            set(leakDetectionThreshold, b::leakDetectionThreshold);
        }

        private static Integer oneOf(String key, Integer value, String hikariKey, Integer hikariValue) {
            if (value != null && hikariValue != null) {
                throw new IllegalArgumentException("invalid pgflip configuration: " + key + " and " + hikariKey
                        + " are the same setting: expected one of them");
            }
            return value != null ? value : hikariValue;
        }
    }

    @ConstructorBinding
    public PgflipProperties {
        read = read == null ? List.of() : List.copyOf(read);
        property = property == null ? Map.of() : Map.copyOf(property);
        hikari = hikari == null ? Map.of() : Map.copyOf(hikari);
    }

    /** The settings before the HikariCP pass-through and JMX were added (source compatibility). */
    public PgflipProperties(boolean enabled, String name, String write, List<String> read, String database, String user,
            String password, Pool pool, Duration maxReplicaLag, Duration retryDeadline, Duration readYourWritesTimeout,
            Duration probeInterval, Duration probeTimeout, Integer downAfterProbeFailures,
            ReaderSelection readerSelection, Boolean directWrites, Map<String, String> property) {
        this(enabled, name, write, read, database, user, password, pool, maxReplicaLag, retryDeadline,
                readYourWritesTimeout, probeInterval, probeTimeout, downAfterProbeFailures, readerSelection,
                directWrites, property, null, null);
    }

    /** The settings before down-after-probe-failures was added (source compatibility). */
    public PgflipProperties(boolean enabled, String name, String write, List<String> read, String database, String user,
            String password, Pool pool, Duration maxReplicaLag, Duration retryDeadline, Duration readYourWritesTimeout,
            Duration probeInterval, Duration probeTimeout, ReaderSelection readerSelection, Boolean directWrites,
            Map<String, String> property) {
        this(enabled, name, write, read, database, user, password, pool, maxReplicaLag, retryDeadline,
                readYourWritesTimeout, probeInterval, probeTimeout, null, readerSelection, directWrites, property, null,
                null);
    }

    /**
     * The builder holding every setting given here, user and password falling back to {@code spring.datasource.*}.
     * Blank values count as unset: {@code ${PGPASSWORD:}} in application.yml leaves the password to the pgpass file.
     */
    public ClusterConfig.Builder toBuilder(String springUsername, String springPassword) {
        ClusterConfig.Builder b = ClusterDataSource.builder();
        if (name != null) {
            b.name(name);
        }
        if (write != null) {
            b.write(write);
        }
        b.read(read.stream().map(String::trim).filter(s -> !s.isEmpty()).toArray(String[]::new));
        b.database(database);
        b.user(firstNonBlank(user, springUsername));
        String pw = firstNonBlank(password, springPassword);
        if (pw != null) {
            b.password(pw);
        }
        pool.applyTo(b);
        set(maxReplicaLag, b::maxReplicaLag);
        set(retryDeadline, b::retryDeadline);
        set(readYourWritesTimeout, b::readYourWritesTimeout);
        set(probeInterval, b::probeInterval);
        set(probeTimeout, b::probeTimeout);
        if (downAfterProbeFailures != null) {
            b.downAfterProbeFailures(downAfterProbeFailures);
        }
        if (readerSelection != null) {
            b.readerSelection(readerSelection);
        }
        if (directWrites != null) {
            b.directWrites(directWrites);
        }
        property.forEach(b::property);
        hikari.forEach(b::hikari);
        if (jmx != null) {
            b.jmx(jmx);
        }
        return b;
    }

    private static void set(Duration value, Consumer<Duration> setter) {
        if (value != null) {
            setter.accept(value);
        }
    }

    private static String firstNonBlank(String first, String second) {
        if (first != null && !first.isBlank()) {
            return first;
        }
        return second != null && !second.isBlank() ? second : null;
    }

    @Override
    public String toString() {
        return "PgflipProperties[name=" + name + ", write=" + write + ", read=" + read + ", database=" + database
                + ", user=" + user + ", password=" + (password == null ? "(unset)" : "******") + ", pool=" + pool + "]";
    }
}
