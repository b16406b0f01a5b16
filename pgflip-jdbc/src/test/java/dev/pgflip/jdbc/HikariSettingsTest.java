package dev.pgflip.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import dev.pgflip.jdbc.internal.PropertiesBinding;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** HikariCP's pool timings: its defaults, its rules as errors naming the key, and its property names beside ours. */
class HikariSettingsTest {

    private static ClusterConfig.Builder seed() {
        return ClusterDataSource.builder().write("198.18.0.100:5432").database("postgres").user("postgres");
    }

    private static Properties seedProperties() {
        Properties p = new Properties();
        p.setProperty("pgflip.write", "198.18.0.100:5432");
        p.setProperty("pgflip.database", "postgres");
        p.setProperty("pgflip.user", "postgres");
        return p;
    }

    @Test
    void theDefaultsAreHikariCpsOwn() {
        HikariConfig hikari = new HikariConfig();
        ClusterConfig c = seed().config();
        assertThat(c.maxLifetime().toMillis()).isEqualTo(hikari.getMaxLifetime());
        assertThat(c.keepaliveTime().toMillis()).isEqualTo(hikari.getKeepaliveTime());
        assertThat(c.leakDetectionThreshold().toMillis()).isEqualTo(hikari.getLeakDetectionThreshold()).isZero();
        assertThat(c.toString()).contains("pool.max-lifetime=1800000ms", "pool.keepalive-time=120000ms",
                "pool.leak-detection-threshold=0ms");
    }

    @Test
    void zeroTurnsEachOff() {
        ClusterConfig c = seed().maxLifetime(Duration.ZERO).keepaliveTime(Duration.ZERO)
                .leakDetectionThreshold(Duration.ZERO).idleTimeout(Duration.ZERO).config();
        assertThat(c.maxLifetime()).isZero();
        assertThat(c.keepaliveTime()).isZero();
    }

    @Test
    void valuesHikariCpWouldQuietlyReplaceAreRefusedNamingTheKey() {
        assertThatThrownBy(() -> seed().maxLifetime(Duration.ofSeconds(10)).config())
                .hasMessageContaining("pgflip.pool.max-lifetime (maxLifetime) = 10000 ms: expected 0 (never) or >= 30000 ms");
        assertThatThrownBy(() -> seed().keepaliveTime(Duration.ofSeconds(5)).config())
                .hasMessageContaining("pgflip.pool.keepalive-time (keepaliveTime) = 5000 ms: expected 0 (never) or >= 30000 ms");
        assertThatThrownBy(() -> seed().leakDetectionThreshold(Duration.ofMillis(500)).config())
                .hasMessageContaining("pgflip.pool.leak-detection-threshold (leakDetectionThreshold) = 500 ms: expected 0 (off) or >= 2000 ms");
        assertThatThrownBy(() -> seed().maxLifetime(Duration.ofSeconds(-1)).config())
                .hasMessageContaining("pgflip.pool.max-lifetime (maxLifetime) = -1000 ms");
        assertThatThrownBy(() -> seed().keepaliveTime(null).config())
                .hasMessageContaining("pgflip.pool.keepalive-time (keepaliveTime) = null");
    }

    @Test
    void timingsAreCheckedAgainstTheMaxLifetime() {
        ClusterConfig.Builder lifetime = seed().maxLifetime(Duration.ofMinutes(1));
        assertThatThrownBy(() -> lifetime.keepaliveTime(Duration.ofMinutes(1)).config())
                .hasMessageContaining("pgflip.pool.keepalive-time (keepaliveTime) = 60000 ms: expected less than"
                        + " pgflip.pool.max-lifetime (60000 ms)");
        assertThatThrownBy(() -> seed().maxLifetime(Duration.ofMinutes(1)).leakDetectionThreshold(Duration.ofMinutes(2))
                .config()).hasMessageContaining("pgflip.pool.leak-detection-threshold (leakDetectionThreshold) ="
                        + " 120000 ms: expected at most pgflip.pool.max-lifetime (60000 ms)");
        assertThatThrownBy(() -> seed().maxLifetime(Duration.ofMinutes(1)).keepaliveTime(Duration.ofSeconds(30))
                .idleTimeout(Duration.ofSeconds(60)).config())
                .hasMessageContaining("pgflip.pool.idle-timeout (idleTimeout) = 60000 ms: expected at least 1 s less"
                        + " than pgflip.pool.max-lifetime (60000 ms)");
        assertThat(seed().maxLifetime(Duration.ZERO).keepaliveTime(Duration.ofHours(1))
                .leakDetectionThreshold(Duration.ofHours(2)).config().keepaliveTime())
                .as("without a lifetime nothing is bounded by it").isEqualTo(Duration.ofHours(1));
    }

    @Test
    void everyTimingErrorIsReportedAtOnce() {
        assertThatThrownBy(() -> seed().maxLifetime(Duration.ofSeconds(1)).keepaliveTime(Duration.ofSeconds(1))
                .leakDetectionThreshold(Duration.ofMillis(1)).idleTimeout(Duration.ofSeconds(1)).config())
                .hasMessageContaining("pgflip.pool.max-lifetime").hasMessageContaining("pgflip.pool.keepalive-time")
                .hasMessageContaining("pgflip.pool.leak-detection-threshold")
                .hasMessageContaining("pgflip.pool.idle-timeout");
    }

    @Test
    void pgflipsKeysBindTheNewSettings() {
        Properties p = seedProperties();
        p.setProperty("pgflip.pool.max-lifetime", "20m");
        p.setProperty("pgflip.pool.keepalive-time", "60000");
        p.setProperty("pgflip.pool.leak-detection-threshold", "PT5S");
        ClusterConfig c = PropertiesBinding.builder(p).config();
        assertThat(c.maxLifetime()).isEqualTo(Duration.ofMinutes(20));
        assertThat(c.keepaliveTime()).isEqualTo(Duration.ofMinutes(1));
        assertThat(c.leakDetectionThreshold()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void hikariCpsNamesAreAcceptedBesidePgflipsOwn() {
        Properties p = seedProperties();
        p.setProperty("pgflip.pool.maximumPoolSize", "7");
        p.setProperty("pgflip.pool.minimumIdle", "2");
        p.setProperty("pgflip.pool.idleTimeout", "20000");
        p.setProperty("pgflip.pool.connectionTimeout", "3000");
        p.setProperty("pgflip.pool.maxLifetime", "600000");
        p.setProperty("pgflip.pool.keepaliveTime", "45000");
        p.setProperty("pgflip.pool.leakDetectionThreshold", "4000");
        ClusterConfig c = PropertiesBinding.builder(p).config();
        assertThat(c.maxPoolSize()).isEqualTo(7);
        assertThat(c.minIdle()).isEqualTo(2);
        assertThat(c.idleTimeout()).isEqualTo(Duration.ofSeconds(20));
        assertThat(c.connectionTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(c.maxLifetime()).isEqualTo(Duration.ofMinutes(10));
        assertThat(c.keepaliveTime()).isEqualTo(Duration.ofSeconds(45));
        assertThat(c.leakDetectionThreshold()).isEqualTo(Duration.ofSeconds(4));

        Properties kebab = seedProperties();
        kebab.setProperty("pgflip.pool.maximum-pool-size", "8");
        kebab.setProperty("pgflip.pool.minimum-idle", "1");
        assertThat(PropertiesBinding.builder(kebab).config().maxPoolSize()).isEqualTo(8);
    }

    @Test
    void aBadValueIsNamedByTheKeyAsWritten() {
        Properties p = seedProperties();
        p.setProperty("pgflip.pool.maximumPoolSize", "many");
        p.setProperty("pgflip.pool.maxLifetime", "soon");
        assertThatThrownBy(() -> ClusterDataSource.fromProperties(p))
                .hasMessageContaining("pgflip.pool.maximumPoolSize = 'many': expected an integer")
                .hasMessageContaining("pgflip.pool.maxLifetime = 'soon': not a duration");
    }

    @Test
    void bothSpellingsOfOneSettingAreOneError() {
        Properties p = seedProperties();
        p.setProperty("pgflip.pool.max", "10");
        p.setProperty("pgflip.pool.maximumPoolSize", "20");
        assertThatThrownBy(() -> ClusterDataSource.fromProperties(p))
                .hasMessageContaining("pgflip.pool.max and pgflip.pool.maximumPoolSize are the same setting: expected"
                        + " one of them");
    }

    @Test
    void anUnknownKeyIsOneErrorListingEveryKnownKey() {
        Properties p = seedProperties();
        p.setProperty("pgflip.pool.maxLifeTime", "600000");
        assertThatThrownBy(() -> ClusterDataSource.fromProperties(p))
                .hasMessageContaining("unknown property pgflip.pool.maxLifeTime: expected one of [")
                .hasMessageContaining("pgflip.pool.max-lifetime").hasMessageContaining("pgflip.pool.maxLifetime")
                .hasMessageContaining("pgflip.property.<pgjdbc property>");
    }
}
