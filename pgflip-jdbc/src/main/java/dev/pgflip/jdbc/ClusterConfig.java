package dev.pgflip.jdbc;

import dev.pgflip.jdbc.internal.HostTracker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.postgresql.PGProperty;

/**
 * The settings of one {@link ClusterDataSource}: immutable, validated once when built. Every error names the setting
 * (by its {@code pgflip.*} property key and builder method), the value given and what was expected; all errors are
 * reported at once.
 */
public final class ClusterConfig {
    /** Beyond this a silent host would keep callers waiting for many probe timeouts: surely a typo. */
    private static final int MAX_DOWN_AFTER_PROBE_FAILURES = 10;
    /** pgjdbc properties pgflip sets itself (from other settings or per role), so a pass-through may not. */
    private static final Set<String> RESERVED = Set.of("user", "password", "PGDBNAME", "PGHOST", "PGPORT",
            "targetServerType");
    /** What a data source name may hold: it goes into pool names, which must be valid JMX ObjectName values. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private final String name;
    private final HostSpec writer;
    private final List<HostSpec> readers;
    private final String database;
    private final String user;
    private final Password password;
    private final int maxPoolSize;
    private final int minIdle;
    private final Duration idleTimeout;
    private final Duration connectionTimeout;
    private final Duration maxLifetime;
    private final Duration keepaliveTime;
    private final Duration leakDetectionThreshold;
    private final Duration maxReplicaLag;
    private final Duration retryDeadline;
    private final Duration readYourWritesTimeout;
    private final Duration probeInterval;
    private final Duration probeTimeout;
    private final int downAfterProbeFailures;
    private final ReaderSelection readerSelection;
    private final boolean directWrites;
    private final Map<String, String> properties;
    private final Map<String, String> hikari;
    private final boolean jmx;
    private final Object meterRegistry;

    private ClusterConfig(Builder b, HostSpec writer, List<HostSpec> readers, Map<String, String> hikari) {
        this.name = b.name;
        this.writer = writer;
        this.readers = List.copyOf(readers);
        this.database = b.database;
        this.user = b.user;
        this.password = b.password;
        this.maxPoolSize = b.maxPoolSize;
        this.minIdle = b.minIdle;
        this.idleTimeout = b.idleTimeout;
        this.connectionTimeout = b.connectionTimeout;
        this.maxLifetime = b.maxLifetime;
        this.keepaliveTime = b.keepaliveTime;
        this.leakDetectionThreshold = b.leakDetectionThreshold;
        this.maxReplicaLag = b.maxReplicaLag;
        this.retryDeadline = b.retryDeadline;
        this.readYourWritesTimeout = b.readYourWritesTimeout;
        this.probeInterval = b.probeInterval;
        this.probeTimeout = b.probeTimeout;
        this.downAfterProbeFailures = b.downAfterProbeFailures;
        this.readerSelection = b.readerSelection;
        this.directWrites = b.directWrites;
        this.properties = Collections.unmodifiableMap(new LinkedHashMap<>(b.properties));
        this.hikari = Collections.unmodifiableMap(new LinkedHashMap<>(hikari));
        this.jmx = b.jmx;
        this.meterRegistry = b.meterRegistry;
    }

    /**
     * The data source's name as configured, or null: then each data source gets the next number (1, 2, ...). It names
     * the HikariCP pools ({@code pgflip-<name>-writer}, {@code pgflip-<name>-reader-<n>}) and the threads.
     */
    public String name() { return name; }
    public HostSpec writer() { return writer; }
    public List<HostSpec> readers() { return readers; }
    public String database() { return database; }
    public String user() { return user; }
    /** The password, or null when none was given (pgjdbc then reads the pgpass file); {@code ******} in toString(). */
    public Password password() { return password; }
    public int maxPoolSize() { return maxPoolSize; }
    public int minIdle() { return minIdle; }
    public Duration idleTimeout() { return idleTimeout; }
    public Duration connectionTimeout() { return connectionTimeout; }
    /** HikariCP's {@code maxLifetime}: a pooled connection is replaced after this; zero: never. */
    public Duration maxLifetime() { return maxLifetime; }
    /** HikariCP's {@code keepaliveTime}: how often an idle connection is tested; zero: never. */
    public Duration keepaliveTime() { return keepaliveTime; }
    /** HikariCP's {@code leakDetectionThreshold}: a connection lent longer is logged as a possible leak; zero: off. */
    public Duration leakDetectionThreshold() { return leakDetectionThreshold; }
    public Duration maxReplicaLag() { return maxReplicaLag; }
    public Duration retryDeadline() { return retryDeadline; }
    public Duration readYourWritesTimeout() { return readYourWritesTimeout; }
    public Duration probeInterval() { return probeInterval; }
    public Duration probeTimeout() { return probeTimeout; }
    /** Failed probes in a row (timeouts) before a host is DOWN; a refused connection counts at once. */
    public int downAfterProbeFailures() { return downAfterProbeFailures; }
    public ReaderSelection readerSelection() { return readerSelection; }
    /**
     * Whether writes may go straight to a host of the read list while the write endpoint does not lead to a writable
     * primary but that host is one, on the newest timeline seen (the floating IP has not moved yet).
     */
    public boolean directWrites() { return directWrites; }
    /** pgjdbc connection properties passed through to every pool. */
    public Map<String, String> properties() { return properties; }
    /** HikariCP settings passed to every pool, under HikariCP's names (e.g. {@code connectionInitSql}). */
    public Map<String, String> hikari() { return hikari; }
    /** Whether each pool has a JMX MBean ({@code com.zaxxer.hikari:type=Pool (pgflip-<name>-writer)}, ...). */
    public boolean jmx() { return jmx; }
    /** The Micrometer {@code MeterRegistry}, or null. */
    public Object meterRegistry() { return meterRegistry; }

    @Override
    public String toString() {
        return (name == null ? "" : "name=" + name + " ") + "write=" + writer + " read=" + readers
                + " database=" + database + " user=" + user
                + " password=" + (password == null ? "(none)" : password) + " pool.max=" + maxPoolSize
                + " pool.min-idle=" + minIdle + " pool.idle-timeout=" + idleTimeout.toMillis() + "ms"
                + " pool.connection-timeout=" + connectionTimeout.toMillis() + "ms"
                + " pool.max-lifetime=" + maxLifetime.toMillis() + "ms pool.keepalive-time="
                + keepaliveTime.toMillis() + "ms pool.leak-detection-threshold=" + leakDetectionThreshold.toMillis() + "ms"
                + " max-replica-lag=" + maxReplicaLag.toMillis() + "ms retry-deadline=" + retryDeadline.toMillis()
                + "ms reader-selection=" + readerSelection + " probe-interval=" + probeInterval.toMillis()
                + "ms probe-timeout=" + probeTimeout.toMillis() + "ms down-after-probe-failures="
                + downAfterProbeFailures + " direct-writes=" + directWrites
                + " properties=" + properties.keySet() + " hikari=" + hikari.keySet() + " jmx=" + jmx;
    }

    /**
     * Builds a {@link ClusterDataSource}. Defaults: pool of 10, idle timeout 30 s (the seed's {@code pool {max: 10,
     * idle: 30000}}), min idle 0, connection timeout 10 s, HikariCP's max lifetime 30 min, keepalive 2 min and no
     * leak detection, max replica lag 10 s, retry deadline 10 s, round-robin
     * readers, every host probed every 500 ms with a 1 s timeout and DOWN after 2 failed probes in a row.
     */
    public static final class Builder {
        private String name;
        private String write;
        private final List<String> read = new ArrayList<>();
        private String database;
        private String user;
        private Password password;
        private int maxPoolSize = 10;
        private int minIdle = 0;
        private Duration idleTimeout = Duration.ofSeconds(30);
        private Duration connectionTimeout = Duration.ofSeconds(10);
        private Duration maxLifetime = HikariRules.MAX_LIFETIME;
        private Duration keepaliveTime = HikariRules.KEEPALIVE_TIME;
        private Duration leakDetectionThreshold = Duration.ZERO;
        private Duration maxReplicaLag = Duration.ofSeconds(10);
        private Duration retryDeadline = Duration.ofSeconds(10);
        private Duration readYourWritesTimeout = Duration.ofSeconds(1);
        private Duration probeInterval = Duration.ofMillis(500);
        private Duration probeTimeout = Duration.ofSeconds(1);
        private int downAfterProbeFailures = HostTracker.DEFAULT_DOWN_AFTER_FAILURES;
        private ReaderSelection readerSelection = ReaderSelection.ROUND_ROBIN;
        private boolean directWrites = true;
        private final Map<String, String> properties = new LinkedHashMap<>();
        private final Map<String, String> hikari = new LinkedHashMap<>();
        private boolean jmx;
        private Object meterRegistry;

        Builder() {
        }

        /**
         * Names the data source, and through it its HikariCP pools and threads: {@code pgflip-<name>-writer},
         * {@code pgflip-<name>-reader-<n>} (n: the host's place in the read list, from 1),
         * {@code pgflip-<name>-direct-<n>}; the names stay the same when a pool is renewed after an outage. 1 to 64
         * letters, digits, '.', '_' or '-' (the pool names must be valid in JMX). Key {@code pgflip.name}. Default:
         * a number unique within the JVM (1, 2, ...: {@code pgflip-1-writer}); give one name per data source.
         */
        public Builder name(String name) { this.name = name; return this; }
        /** The write endpoint, normally the floating IP: {@code host[:port]}. Key {@code pgflip.write}. */
        public Builder write(String hostPort) { this.write = hostPort; return this; }
        /** Read endpoints, standbys first; a primary listed here serves reads only when no standby is healthy. */
        public Builder read(String... hostPorts) { read.addAll(List.of(hostPorts)); return this; }
        public Builder database(String database) { this.database = database; return this; }
        public Builder user(String user) { this.user = user; return this; }
        public Builder password(String password) { this.password = Password.of(password); return this; }
        /** Connections per host pool. Key {@code pgflip.pool.max}. */
        public Builder maxPoolSize(int max) { this.maxPoolSize = max; return this; }
        public Builder minIdle(int minIdle) { this.minIdle = minIdle; return this; }
        public Builder idleTimeout(Duration d) { this.idleTimeout = d; return this; }
        /** How long {@code getConnection()} waits at most, including for a writer to come back after a failover. */
        public Builder connectionTimeout(Duration d) { this.connectionTimeout = d; return this; }
        /**
         * HikariCP's {@code maxLifetime}: each pooled connection is closed and replaced after this (default 30 min;
         * 0 never, else at least 30 s). Key {@code pgflip.pool.max-lifetime} (or {@code pgflip.pool.maxLifetime}).
         */
        public Builder maxLifetime(Duration d) { this.maxLifetime = d; return this; }
        /**
         * HikariCP's {@code keepaliveTime}: how often an idle connection is tested, so a firewall or load balancer
         * does not drop it silently (default 2 min; 0 never, else at least 30 s and less than maxLifetime). Key
         * {@code pgflip.pool.keepalive-time} (or {@code pgflip.pool.keepaliveTime}).
         */
        public Builder keepaliveTime(Duration d) { this.keepaliveTime = d; return this; }
        /**
         * HikariCP's {@code leakDetectionThreshold}: a connection lent out longer is logged with the stack that
         * borrowed it (default 0, off; else at least 2 s and at most maxLifetime). Key
         * {@code pgflip.pool.leak-detection-threshold} (or {@code pgflip.pool.leakDetectionThreshold}).
         */
        public Builder leakDetectionThreshold(Duration d) { this.leakDetectionThreshold = d; return this; }
        /** A standby replaying further behind than this leaves the read rotation until it catches up. */
        public Builder maxReplicaLag(Duration d) { this.maxReplicaLag = d; return this; }
        /**
         * The bound on one {@code inTransaction} call, retries included; also how long the connections lent on a writer
         * that went silent (probes timed out, none refused) are held for it to answer again while no promotion is seen.
         */
        public Builder retryDeadline(Duration d) { this.retryDeadline = d; return this; }
        /** How long a read-your-writes read waits for a standby to replay the session's last commit. */
        public Builder readYourWritesTimeout(Duration d) { this.readYourWritesTimeout = d; return this; }
        public Builder probeInterval(Duration d) { this.probeInterval = d; return this; }
        public Builder probeTimeout(Duration d) { this.probeTimeout = d; return this; }
        /**
         * How many probes in a row must fail (time out, be reset, ...) before a host is DOWN and the connections it
         * has lent are aborted (default 2, 1..10). Key {@code pgflip.down-after-probe-failures}. A refused connection
         * or a shutting-down server (57P01/57P02/57P03) makes it DOWN at once. 1 detects a silent host soonest but
         * aborts every write in flight on a healthy primary whose probe was merely slow once; each further failure
         * adds to the time callers wait on a host that really went silent: about 0.27 s when it is silent on the
         * network (the confirming probe starts with a 250 ms TCP check), up to a probe timeout when only the server
         * hangs.
         */
        public Builder downAfterProbeFailures(int failures) { this.downAfterProbeFailures = failures; return this; }
        public Builder readerSelection(ReaderSelection s) { this.readerSelection = s; return this; }
        /**
         * While the write endpoint (the floating IP) leads to no writable primary, send writes straight to a host of
         * the read list that is the primary on the newest timeline seen, until the endpoint catches up (default
         * true). Writes then resume when the promoted standby is writable instead of when the IP has moved, which on
         * DigitalOcean is an API action of seconds. Turn off where the application may only reach the database
         * through the floating IP for writes.
         */
        public Builder directWrites(boolean enabled) { this.directWrites = enabled; return this; }
        /** A pgjdbc connection property for every pool, e.g. {@code property("sslmode", "require")}. */
        public Builder property(String key, String value) { properties.put(key, value); return this; }
        /**
         * One of HikariCP's other settings for every pool, by its HikariCP name or Spring's kebab-case spelling of it,
         * e.g. {@code hikari("connectionInitSql", "SET statement_timeout = '5s'")}. Key {@code pgflip.hikari.<name>}.
         * Passed on: autoCommit, transactionIsolation, catalog, schema, connectionInitSql, connectionTestQuery,
         * validationTimeout (ms), isolateInternalQueries, allowPoolSuspension, exceptionOverrideClassName. The
         * settings pgflip chooses (the pool sizes and timings, the URL, user, readOnly, ...) are refused, naming the
         * key to use.
         */
        public Builder hikari(String setting, String value) { hikari.put(setting, value); return this; }
        /**
         * Registers one JMX MBean per pool under HikariCP's name for it, {@code com.zaxxer.hikari:type=Pool
         * (pgflip-<name>-writer)}, that follows the pool across its renewals (default false). Key {@code pgflip.jmx}.
         */
        public Builder jmx(boolean enabled) { this.jmx = enabled; return this; }
        /** A Micrometer {@code MeterRegistry} (typed Object so Micrometer stays optional). */
        public Builder meterRegistry(Object registry) { this.meterRegistry = registry; return this; }

        /** Validates and starts the data source: pools, the writer monitor and the reader health checks. */
        public ClusterDataSource build() {
            return new ClusterDataSource(config());
        }

        /** Validates without starting anything. */
        public ClusterConfig config() {
            List<String> errors = new ArrayList<>();
            if (name != null && !NAME.matcher(name).matches()) {
                errors.add("pgflip.name (name) = '" + name + "': expected 1 to 64 letters, digits, '.', '_' or '-'"
                        + " (it names the pools, pgflip-<name>-writer, and JMX refuses ':', ',', '=', '*', '?', '\"')");
            }
            HostSpec writer = null;
            if (write == null || write.isBlank()) {
                errors.add("pgflip.write (write) is missing: expected the write endpoint host[:port], e.g. the floating IP 198.18.0.100:5432");
            } else {
                writer = host("pgflip.write (write)", write, errors);
            }
            List<HostSpec> readers = new ArrayList<>();
            for (String r : read) {
                HostSpec h = host("pgflip.read (read)", r, errors);
                if (h != null && readers.contains(h)) {
                    errors.add("pgflip.read (read) lists " + h + " twice: expected each host once");
                } else if (h != null) {
                    readers.add(h);
                }
            }
            required("pgflip.database (database)", database, errors);
            required("pgflip.user (user)", user, errors);
            if (maxPoolSize < 1) {
                errors.add("pgflip.pool.max (maxPoolSize) = " + maxPoolSize + ": expected an integer >= 1");
            }
            if (minIdle < 0 || minIdle > Math.max(maxPoolSize, 0)) {
                errors.add("pgflip.pool.min-idle (minIdle) = " + minIdle + ": expected 0.." + maxPoolSize + " (pgflip.pool.max)");
            }
            atLeast("pgflip.pool.connection-timeout (connectionTimeout)", connectionTimeout, 250, errors);
            HikariRules.check(maxPoolSize, minIdle, idleTimeout, maxLifetime, keepaliveTime, leakDetectionThreshold,
                    errors);
            atLeast("pgflip.max-replica-lag (maxReplicaLag)", maxReplicaLag, 1, errors);
            atLeast("pgflip.retry-deadline (retryDeadline)", retryDeadline, 0, errors);
            atLeast("pgflip.read-your-writes-timeout (readYourWritesTimeout)", readYourWritesTimeout, 0, errors);
            atLeast("pgflip.probe-interval (probeInterval)", probeInterval, 50, errors);
            atLeast("pgflip.probe-timeout (probeTimeout)", probeTimeout, 100, errors);
            if (downAfterProbeFailures < 1 || downAfterProbeFailures > MAX_DOWN_AFTER_PROBE_FAILURES) {
                errors.add("pgflip.down-after-probe-failures (downAfterProbeFailures) = " + downAfterProbeFailures
                        + ": expected an integer 1.." + MAX_DOWN_AFTER_PROBE_FAILURES
                        + " (failed probes in a row before a host is DOWN)");
            }
            if (readerSelection == null) {
                errors.add("pgflip.reader-selection (readerSelection) is missing: expected ROUND_ROBIN or LEAST_BUSY");
            }
            properties.forEach((k, v) -> checkProperty(k, v, errors));
            Map<String, String> hikariSettings = HikariPassThrough.check(hikari, errors);
            if (meterRegistry != null && !isMeterRegistry(meterRegistry.getClass())) {
                errors.add("meterRegistry is a " + meterRegistry.getClass().getName()
                        + ": expected an io.micrometer.core.instrument.MeterRegistry");
            }
            if (!errors.isEmpty()) {
                throw new IllegalArgumentException("invalid pgflip configuration: " + String.join("; ", errors));
            }
            return new ClusterConfig(this, writer, readers, hikariSettings);
        }

        private static HostSpec host(String key, String value, List<String> errors) {
            try {
                return HostSpec.parse(value);
            } catch (IllegalArgumentException e) {
                errors.add(key + " = '" + value + "': " + e.getMessage());
                return null;
            }
        }

        private static void required(String key, String value, List<String> errors) {
            if (value == null || value.isBlank()) {
                errors.add(key + " is missing: expected a non-empty name");
            }
        }

        private static void atLeast(String key, Duration d, long minMillis, List<String> errors) {
            if (d == null || d.toMillis() < minMillis) {
                errors.add(key + " = " + millis(d) + ": expected >= " + minMillis + " ms");
            }
        }

        private static String millis(Duration d) {
            return d == null ? "null" : d.toMillis() + " ms";
        }

        private static void checkProperty(String key, String value, List<String> errors) {
            String shown = "pgflip.property." + key + " (property)";
            if (RESERVED.contains(key)) {
                errors.add(shown + " is set by pgflip: use the builder's " + key.toLowerCase(Locale.ROOT)
                        .replace("pg", "") + " setting instead (targetServerType is chosen per role)");
            } else if (PGProperty.forName(key) == null) {
                errors.add(shown + " = '" + value + "': unknown pgjdbc property: expected one of pgjdbc's"
                        + " connection properties (e.g. sslmode, socketTimeout, ApplicationName)");
            } else if (value == null) {
                errors.add(shown + " has no value: expected a string");
            }
        }

        private static boolean isMeterRegistry(Class<?> type) {
            for (Class<?> c = type; c != null; c = c.getSuperclass()) {
                if (c.getName().equals("io.micrometer.core.instrument.MeterRegistry")) {
                    return true;
                }
            }
            return false;
        }
    }
}
