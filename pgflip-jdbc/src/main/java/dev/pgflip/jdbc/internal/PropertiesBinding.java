package dev.pgflip.jdbc.internal;

import dev.pgflip.common.DurationText;
import dev.pgflip.jdbc.ClusterConfig;
import dev.pgflip.jdbc.ClusterDataSource;
import dev.pgflip.jdbc.ReaderSelection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.function.BiConsumer;
import java.util.function.Function;

/** Binds {@code pgflip.*} properties to the builder; the keys are documented on {@link ClusterDataSource#fromProperties}. */
public final class PropertiesBinding {
    public static final String PREFIX = "pgflip.";
    public static final String PASS_THROUGH = "pgflip.property.";

    private static final Map<String, BiConsumer<ClusterConfig.Builder, String>> KEYS = Map.ofEntries(
            Map.entry("pgflip.name", ClusterConfig.Builder::name),
            Map.entry("pgflip.write", ClusterConfig.Builder::write),
            Map.entry("pgflip.read", (b, v) -> b.read(Arrays.stream(v.split(",")).map(String::trim)
                    .filter(s -> !s.isEmpty()).toArray(String[]::new))),
            Map.entry("pgflip.database", ClusterConfig.Builder::database),
            Map.entry("pgflip.user", ClusterConfig.Builder::user),
            Map.entry("pgflip.password", ClusterConfig.Builder::password),
            Map.entry("pgflip.pool.max", (b, v) -> b.maxPoolSize(integer("pgflip.pool.max", v))),
            Map.entry("pgflip.pool.min-idle", (b, v) -> b.minIdle(integer("pgflip.pool.min-idle", v))),
            Map.entry("pgflip.pool.idle-timeout", duration("pgflip.pool.idle-timeout", ClusterConfig.Builder::idleTimeout)),
            Map.entry("pgflip.pool.connection-timeout",
                    duration("pgflip.pool.connection-timeout", ClusterConfig.Builder::connectionTimeout)),
            Map.entry("pgflip.max-replica-lag", duration("pgflip.max-replica-lag", ClusterConfig.Builder::maxReplicaLag)),
            Map.entry("pgflip.retry-deadline", duration("pgflip.retry-deadline", ClusterConfig.Builder::retryDeadline)),
            Map.entry("pgflip.read-your-writes-timeout",
                    duration("pgflip.read-your-writes-timeout", ClusterConfig.Builder::readYourWritesTimeout)),
            Map.entry("pgflip.probe-interval", duration("pgflip.probe-interval", ClusterConfig.Builder::probeInterval)),
            Map.entry("pgflip.probe-timeout", duration("pgflip.probe-timeout", ClusterConfig.Builder::probeTimeout)),
            Map.entry("pgflip.down-after-probe-failures",
                    (b, v) -> b.downAfterProbeFailures(integer("pgflip.down-after-probe-failures", v))),
            Map.entry("pgflip.reader-selection", (b, v) -> b.readerSelection(selection(v))),
            Map.entry("pgflip.direct-writes", (b, v) -> b.directWrites(bool("pgflip.direct-writes", v))));

    private PropertiesBinding() {
    }

    /** A builder holding every {@code pgflip.*} property; fails naming each unknown key or unreadable value. */
    public static ClusterConfig.Builder builder(Properties properties) {
        ClusterConfig.Builder b = ClusterDataSource.builder();
        List<String> errors = new ArrayList<>();
        for (String key : properties.stringPropertyNames().stream().sorted().toList()) {
            if (!key.startsWith(PREFIX)) {
                continue;
            }
            String value = properties.getProperty(key);
            try {
                if (key.startsWith(PASS_THROUGH)) {
                    b.property(key.substring(PASS_THROUGH.length()), value);
                } else if (KEYS.containsKey(key)) {
                    KEYS.get(key).accept(b, value);
                } else {
                    errors.add("unknown property " + key + ": expected one of " + KEYS.keySet().stream().sorted().toList()
                            + " or " + PASS_THROUGH + "<pgjdbc property>");
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

    private static BiConsumer<ClusterConfig.Builder, String> duration(String key,
            BiConsumer<ClusterConfig.Builder, Duration> setter) {
        return (b, v) -> setter.accept(b, DurationText.parse(key, v));
    }

    private static ReaderSelection selection(String value) {
        Function<String, String> norm = s -> s.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        try {
            return ReaderSelection.valueOf(norm.apply(value));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("pgflip.reader-selection = '" + value
                    + "': expected ROUND_ROBIN or LEAST_BUSY", e);
        }
    }
}
