package dev.pgflip.jdbc.internal;

import dev.pgflip.common.DurationText;
import dev.pgflip.jdbc.ClusterConfig;
import dev.pgflip.jdbc.ClusterDataSource;
import dev.pgflip.jdbc.ReaderSelection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.function.Function;

/** Binds {@code pgflip.*} properties to the builder; the keys are documented on {@link ClusterDataSource#fromProperties}. */
public final class PropertiesBinding {
    public static final String PREFIX = "pgflip.";
    public static final String PASS_THROUGH = "pgflip.property.";
    public static final String HIKARI_PASS_THROUGH = "pgflip.hikari.";

    /** A setter given the key as written, so a bad value is reported under the name the user used. */
    private interface Setter {
        void set(ClusterConfig.Builder b, String key, String value);
    }

    private static final Map<String, Setter> KEYS = Map.ofEntries(
            Map.entry("pgflip.name", (b, k, v) -> b.name(v)),
            Map.entry("pgflip.write", (b, k, v) -> b.write(v)),
            Map.entry("pgflip.read", (b, k, v) -> b.read(Arrays.stream(v.split(",")).map(String::trim)
                    .filter(s -> !s.isEmpty()).toArray(String[]::new))),
            Map.entry("pgflip.database", (b, k, v) -> b.database(v)),
            Map.entry("pgflip.user", (b, k, v) -> b.user(v)),
            Map.entry("pgflip.password", (b, k, v) -> b.password(v)),
            Map.entry("pgflip.pool.max", (b, k, v) -> b.maxPoolSize(integer(k, v))),
            Map.entry("pgflip.pool.min-idle", (b, k, v) -> b.minIdle(integer(k, v))),
            Map.entry("pgflip.pool.idle-timeout", duration(ClusterConfig.Builder::idleTimeout)),
            Map.entry("pgflip.pool.connection-timeout", duration(ClusterConfig.Builder::connectionTimeout)),
            Map.entry("pgflip.pool.max-lifetime", duration(ClusterConfig.Builder::maxLifetime)),
            Map.entry("pgflip.pool.keepalive-time", duration(ClusterConfig.Builder::keepaliveTime)),
            Map.entry("pgflip.pool.leak-detection-threshold", duration(ClusterConfig.Builder::leakDetectionThreshold)),
            Map.entry("pgflip.max-replica-lag", duration(ClusterConfig.Builder::maxReplicaLag)),
            Map.entry("pgflip.retry-deadline", duration(ClusterConfig.Builder::retryDeadline)),
            Map.entry("pgflip.read-your-writes-timeout", duration(ClusterConfig.Builder::readYourWritesTimeout)),
            Map.entry("pgflip.probe-interval", duration(ClusterConfig.Builder::probeInterval)),
            Map.entry("pgflip.probe-timeout", duration(ClusterConfig.Builder::probeTimeout)),
            Map.entry("pgflip.down-after-probe-failures", (b, k, v) -> b.downAfterProbeFailures(integer(k, v))),
            Map.entry("pgflip.reader-selection", (b, k, v) -> b.readerSelection(selection(k, v))),
            Map.entry("pgflip.direct-writes", (b, k, v) -> b.directWrites(bool(k, v))),
            Map.entry("pgflip.jmx", (b, k, v) -> b.jmx(bool(k, v))));

    /**
     * HikariCP's names for the pool settings, accepted under {@code pgflip.pool.} beside pgflip's own, so a
     * {@code maximumPoolSize} copied from a HikariCP configuration works. Spring's kebab-case spelling of the two whose
     * names differ from pgflip's is accepted too. Both spellings of one setting at once is an error.
     */
    static final Map<String, String> HIKARI_NAMES = Map.of(
            "pgflip.pool.maximumPoolSize", "pgflip.pool.max",
            "pgflip.pool.maximum-pool-size", "pgflip.pool.max",
            "pgflip.pool.minimumIdle", "pgflip.pool.min-idle",
            "pgflip.pool.minimum-idle", "pgflip.pool.min-idle",
            "pgflip.pool.idleTimeout", "pgflip.pool.idle-timeout",
            "pgflip.pool.connectionTimeout", "pgflip.pool.connection-timeout",
            "pgflip.pool.maxLifetime", "pgflip.pool.max-lifetime",
            "pgflip.pool.keepaliveTime", "pgflip.pool.keepalive-time",
            "pgflip.pool.leakDetectionThreshold", "pgflip.pool.leak-detection-threshold");

    private PropertiesBinding() {
    }

    /** A builder holding every {@code pgflip.*} property; fails naming each unknown key or unreadable value. */
    public static ClusterConfig.Builder builder(Properties properties) {
        ClusterConfig.Builder b = ClusterDataSource.builder();
        List<String> errors = new ArrayList<>();
        Map<String, String> givenAs = new HashMap<>();
        for (String key : properties.stringPropertyNames().stream().sorted().toList()) {
            if (!key.startsWith(PREFIX)) {
                continue;
            }
            String value = properties.getProperty(key);
            String setting = HIKARI_NAMES.getOrDefault(key, key);
            try {
                if (key.startsWith(PASS_THROUGH)) {
                    b.property(key.substring(PASS_THROUGH.length()), value);
                } else if (key.startsWith(HIKARI_PASS_THROUGH)) {
                    b.hikari(key.substring(HIKARI_PASS_THROUGH.length()), value);
                } else if (!KEYS.containsKey(setting)) {
                    errors.add("unknown property " + key + ": expected one of " + knownKeys() + ", " + PASS_THROUGH
                            + "<pgjdbc property> or " + HIKARI_PASS_THROUGH + "<HikariCP setting>");
                } else if (givenAs.putIfAbsent(setting, key) != null) {
                    errors.add(givenAs.get(setting) + " and " + key + " are the same setting: expected one of them");
                } else {
                    KEYS.get(setting).set(b, key, value);
                }
            } catch (IllegalArgumentException e) {
                errors.add(e.getMessage());
            }
        }
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException("invalid pgflip configuration: " + String.join("; ", errors));
        }
        return b;
    }

    /** pgflip's keys, then HikariCP's names for the pool settings. */
    static List<String> knownKeys() {
        List<String> keys = new ArrayList<>(new TreeSet<>(KEYS.keySet()));
        keys.addAll(new TreeSet<>(HIKARI_NAMES.keySet()));
        return keys;
    }

    private static int integer(String key, String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " = '" + value + "': expected an integer", e);
        }
    }

    private static boolean bool(String key, String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(key + " = '" + value + "': expected true or false");
        };
    }

    private static Setter duration(BiConsumer<ClusterConfig.Builder, Duration> setter) {
        return (b, key, v) -> setter.accept(b, DurationText.parse(key, v));
    }

    private static ReaderSelection selection(String key, String value) {
        Function<String, String> norm = s -> s.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        try {
            return ReaderSelection.valueOf(norm.apply(value));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + " = '" + value
                    + "': expected ROUND_ROBIN or LEAST_BUSY", e);
        }
    }
}
