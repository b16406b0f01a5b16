package dev.pgflip.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgflip.common.DurationText;
import dev.pgflip.jdbc.ClusterConfig;
import dev.pgflip.jdbc.ClusterDataSource;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code META-INF/additional-spring-configuration-metadata.json}, what IDEs complete under {@code pgflip.*}: one entry
 * per key of {@link PgflipProperties}, each described, and the defaults it shows are the builder's.
 */
class PgflipMetadataTest {
    private static final Pattern ENTRY = Pattern.compile("\\{[^{}]*}");
    private static final Pattern NAME = Pattern.compile("\"name\": \"([^\"]+)\"");
    private static final Pattern DEFAULT = Pattern.compile("\"defaultValue\": (\"[^\"]*\"|[^,\\s}]+)");

    /** The keys Spring binds: record components in kebab case, nested records (pool) as a prefix. */
    private static TreeSet<String> keys(String prefix, Class<?> type) {
        TreeSet<String> keys = new TreeSet<>();
        for (RecordComponent c : type.getRecordComponents()) {
            String key = prefix + "." + c.getName().replaceAll("([A-Z])", "-$1").toLowerCase();
            if (c.getType().isRecord()) {
                keys.addAll(keys(key, c.getType()));
            } else {
                keys.add(key);
            }
        }
        return keys;
    }

    /** name → defaultValue (as written in the JSON, quotes removed; null when none) of every entry. */
    private static Map<String, String> entries(String resource) throws IOException {
        String json;
        try (InputStream in = PgflipMetadataTest.class.getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Map<String, String> entries = new LinkedHashMap<>();
        Matcher entry = ENTRY.matcher(json);
        while (entry.find()) {
            String e = entry.group();
            Matcher name = NAME.matcher(e);
            if (name.find() && e.contains("\"description\"")) {
                Matcher def = DEFAULT.matcher(e);
                entries.put(name.group(1), def.find() ? def.group(1).replace("\"", "") : null);
            }
        }
        return entries;
    }

    @Test
    void everyPgflipKeyIsDescribedOnceAndNothingElse() throws IOException {
        Map<String, String> additional = entries("/META-INF/additional-spring-configuration-metadata.json");
        assertThat(new TreeSet<>(additional.keySet())).isEqualTo(keys("pgflip", PgflipProperties.class));
    }

    @Test
    void theDefaultsShownAreTheBuildersOwn() throws IOException {
        ClusterConfig c = ClusterDataSource.builder().write("127.0.0.1:1").database("postgres").user("postgres")
                .config();
        Map<String, Function<ClusterConfig, Object>> settings = new LinkedHashMap<>();
        settings.put("pgflip.pool.max", ClusterConfig::maxPoolSize);
        settings.put("pgflip.pool.min-idle", ClusterConfig::minIdle);
        settings.put("pgflip.pool.idle-timeout", ClusterConfig::idleTimeout);
        settings.put("pgflip.pool.connection-timeout", ClusterConfig::connectionTimeout);
        settings.put("pgflip.pool.max-lifetime", ClusterConfig::maxLifetime);
        settings.put("pgflip.pool.keepalive-time", ClusterConfig::keepaliveTime);
        settings.put("pgflip.pool.leak-detection-threshold", ClusterConfig::leakDetectionThreshold);
        settings.put("pgflip.max-replica-lag", ClusterConfig::maxReplicaLag);
        settings.put("pgflip.retry-deadline", ClusterConfig::retryDeadline);
        settings.put("pgflip.read-your-writes-timeout", ClusterConfig::readYourWritesTimeout);
        settings.put("pgflip.probe-interval", ClusterConfig::probeInterval);
        settings.put("pgflip.probe-timeout", ClusterConfig::probeTimeout);
        settings.put("pgflip.down-after-probe-failures", ClusterConfig::downAfterProbeFailures);
        settings.put("pgflip.reader-selection", x -> x.readerSelection().name().toLowerCase().replace('_', '-'));
        settings.put("pgflip.direct-writes", ClusterConfig::directWrites);

        Map<String, String> additional = entries("/META-INF/additional-spring-configuration-metadata.json");
        settings.forEach((key, setting) -> {
            Object expected = setting.apply(c);
            String shown = additional.get(key);
            assertThat(shown).as(key + " shows a default").isNotNull();
            Object actual = expected instanceof java.time.Duration ? DurationText.parse(key, shown)
                    : expected instanceof Integer ? Integer.valueOf(shown)
                    : expected instanceof Boolean ? Boolean.valueOf(shown) : shown;
            assertThat(actual).as(key).isEqualTo(expected);
        });
    }

    @Test
    void theDefaultsReachTheMetadataIdesRead() throws IOException {
        // The configuration processor merges the additional file into the one it generates from PgflipProperties.
        Map<String, String> merged = entries("/META-INF/spring-configuration-metadata.json");
        assertThat(merged).containsEntry("pgflip.pool.max-lifetime", "30m").containsEntry("pgflip.pool.max", "10")
                .containsEntry("pgflip.probe-interval", "500ms");
    }
}
