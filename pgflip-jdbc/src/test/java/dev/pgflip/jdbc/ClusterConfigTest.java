package dev.pgflip.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class ClusterConfigTest {

    private static ClusterConfig.Builder seed() {
        return ClusterDataSource.builder().write("198.18.0.100:5432").read("198.18.0.12:5432", "198.18.0.11")
                .database("postgres").user("postgres").password("123456").maxPoolSize(10)
                .idleTimeout(Duration.ofSeconds(30));
    }

    @Test
    void theSeedConfigurationIsValidWithDocumentedDefaults() {
        ClusterConfig c = seed().config();
        assertThat(c.writer()).isEqualTo(new HostSpec("198.18.0.100", 5432));
        assertThat(c.readers()).containsExactly(new HostSpec("198.18.0.12", 5432), new HostSpec("198.18.0.11", 5432));
        assertThat(c.maxReplicaLag()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.retryDeadline()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.readerSelection()).isEqualTo(ReaderSelection.ROUND_ROBIN);
    }

    @Test
    void missingWriteHostIsRejectedNamingTheSetting() {
        assertThatThrownBy(() -> seed().write(null).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("pgflip.write (write) is missing")
                .hasMessageContaining("host[:port]");
    }

    @Test
    void badPortIsRejectedNamingSettingValueAndRange() {
        assertThatThrownBy(() -> seed().write("198.18.0.100:99999").build())
                .hasMessageContaining("pgflip.write").hasMessageContaining("99999").hasMessageContaining("1..65535");
        assertThatThrownBy(() -> seed().read("198.18.0.13:x").build())
                .hasMessageContaining("pgflip.read").hasMessageContaining("'x'").hasMessageContaining("not a number");
    }

    @Test
    void poolMaxZeroIsRejected() {
        assertThatThrownBy(() -> seed().maxPoolSize(0).build())
                .hasMessageContaining("pgflip.pool.max (maxPoolSize) = 0: expected an integer >= 1");
    }

    @Test
    void aHostIsDownAfterTwoFailedProbesUnlessConfiguredAndAnOutOfRangeValueIsNamed() {
        assertThat(seed().config().downAfterProbeFailures()).isEqualTo(2);
        assertThat(seed().downAfterProbeFailures(1).config().downAfterProbeFailures()).isEqualTo(1);
        assertThatThrownBy(() -> seed().downAfterProbeFailures(0).config())
                .hasMessageContaining("pgflip.down-after-probe-failures (downAfterProbeFailures) = 0: expected an integer 1..10");
        assertThatThrownBy(() -> seed().downAfterProbeFailures(500).config())
                .hasMessageContaining("pgflip.down-after-probe-failures (downAfterProbeFailures) = 500");
        Properties p = new Properties();
        p.setProperty("pgflip.write", "198.18.0.100");
        p.setProperty("pgflip.database", "postgres");
        p.setProperty("pgflip.user", "postgres");
        p.setProperty("pgflip.down-after-probe-failures", "3");
        assertThat(dev.pgflip.jdbc.internal.PropertiesBinding.builder(p).config().downAfterProbeFailures()).isEqualTo(3);
        p.setProperty("pgflip.down-after-probe-failures", "twice");
        assertThatThrownBy(() -> ClusterDataSource.fromProperties(p))
                .hasMessageContaining("pgflip.down-after-probe-failures = 'twice': expected an integer");
    }

    @Test
    void unknownPgjdbcPropertyIsRejectedNamingIt() {
        assertThatThrownBy(() -> seed().property("socketTimeut", "5").build())
                .hasMessageContaining("pgflip.property.socketTimeut").hasMessageContaining("unknown pgjdbc property");
        assertThatThrownBy(() -> seed().property("targetServerType", "any").build())
                .hasMessageContaining("set by pgflip");
        assertThat(seed().property("socketTimeout", "5").config().properties()).containsEntry("socketTimeout", "5");
    }

    @Test
    void everyErrorIsReportedAtOnce() {
        assertThatThrownBy(() -> ClusterDataSource.builder().maxPoolSize(0).idleTimeout(Duration.ofSeconds(1)).build())
                .hasMessageContaining("pgflip.write").hasMessageContaining("pgflip.database")
                .hasMessageContaining("pgflip.user").hasMessageContaining("pgflip.pool.max")
                .hasMessageContaining("pgflip.pool.idle-timeout");
    }

    @Test
    void passwordNeverShowsInToStringOrErrors() {
        assertThat(seed().config().toString()).doesNotContain("123456").contains("password=******");
        assertThatThrownBy(() -> seed().maxPoolSize(0).config()).message().doesNotContain("123456");
    }

    @Test
    void passwordIsGivenBackMaskedAndOnlyRevealedOnRequest() {
        Password password = seed().config().password();
        assertThat(password).hasToString("******");
        assertThat(String.valueOf(password)).doesNotContain("123456");
        assertThat(password.reveal()).isEqualTo("123456");
        assertThat(seed().password(null).config().password()).as("none given: pgjdbc reads the pgpass file").isNull();
    }

    @Test
    void meterRegistryMustBeAMicrometerRegistry() {
        assertThatThrownBy(() -> seed().meterRegistry("not a registry").config())
                .hasMessageContaining("meterRegistry is a java.lang.String");
    }

    @Test
    void propertiesBindTheDocumentedKeys() {
        Properties p = new Properties();
        p.setProperty("pgflip.write", "198.18.0.100:5432");
        p.setProperty("pgflip.read", "198.18.0.12:5432, 198.18.0.11:5432");
        p.setProperty("pgflip.database", "postgres");
        p.setProperty("pgflip.user", "postgres");
        p.setProperty("pgflip.password", "123456");
        p.setProperty("pgflip.pool.max", "10");
        p.setProperty("pgflip.pool.idle-timeout", "30000");
        p.setProperty("pgflip.retry-deadline", "5s");
        p.setProperty("pgflip.reader-selection", "least-busy");
        p.setProperty("pgflip.property.ApplicationName", "countries");
        p.setProperty("spring.datasource.other", "ignored");
        ClusterConfig c = dev.pgflip.jdbc.internal.PropertiesBinding.builder(p).config();
        assertThat(c.readers()).hasSize(2);
        assertThat(c.idleTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.retryDeadline()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.readerSelection()).isEqualTo(ReaderSelection.LEAST_BUSY);
        assertThat(c.properties()).containsEntry("ApplicationName", "countries");
        assertThat(c.directWrites()).as("direct writes during a failover are on unless turned off").isTrue();
    }

    @Test
    void directWritesCanBeTurnedOffAndABadValueIsNamed() {
        Properties p = new Properties();
        p.setProperty("pgflip.write", "198.18.0.100");
        p.setProperty("pgflip.database", "postgres");
        p.setProperty("pgflip.user", "postgres");
        p.setProperty("pgflip.direct-writes", "FALSE");
        assertThat(dev.pgflip.jdbc.internal.PropertiesBinding.builder(p).config().directWrites()).isFalse();
        p.setProperty("pgflip.direct-writes", "sometimes");
        assertThatThrownBy(() -> ClusterDataSource.fromProperties(p))
                .hasMessageContaining("pgflip.direct-writes = 'sometimes': expected true or false");
    }

    @Test
    void unknownPgflipPropertyIsRejectedNamingIt() {
        Properties p = new Properties();
        p.setProperty("pgflip.write", "198.18.0.100");
        p.setProperty("pgflip.pool.maximum", "10");
        p.setProperty("pgflip.pool.idle-timeout", "soon");
        assertThatThrownBy(() -> ClusterDataSource.fromProperties(p))
                .hasMessageContaining("unknown property pgflip.pool.maximum")
                .hasMessageContaining("pgflip.pool.idle-timeout = 'soon': not a duration; expected "
                        + dev.pgflip.common.DurationText.FORMS);
    }

    /** The binding reads durations with the shared grammar (pgflip-common's table): forms it once refused too. */
    @Test
    void propertiesReadDurationsInTheSharedGrammar() {
        Properties p = new Properties();
        p.setProperty("pgflip.write", "198.18.0.100");
        p.setProperty("pgflip.database", "postgres");
        p.setProperty("pgflip.user", "postgres");
        p.setProperty("pgflip.retry-deadline", "1h");
        p.setProperty("pgflip.max-replica-lag", "2d");
        p.setProperty("pgflip.probe-interval", "pt0.75s");
        p.setProperty("pgflip.probe-timeout", "1500000us");
        p.setProperty("pgflip.read-your-writes-timeout", "250");
        ClusterConfig c = dev.pgflip.jdbc.internal.PropertiesBinding.builder(p).config();
        assertThat(c.retryDeadline()).isEqualTo(Duration.ofHours(1));
        assertThat(c.maxReplicaLag()).isEqualTo(Duration.ofDays(2));
        assertThat(c.probeInterval()).isEqualTo(Duration.ofMillis(750));
        assertThat(c.probeTimeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(c.readYourWritesTimeout()).isEqualTo(Duration.ofMillis(250));
        p.setProperty("pgflip.retry-deadline", "-5s");
        assertThatThrownBy(() -> ClusterDataSource.fromProperties(p))
                .hasMessageContaining("pgflip.retry-deadline = '-5s': negative; expected " + dev.pgflip.common.DurationText.FORMS);
    }

    @Test
    void hostSpecParsesHostPortAndIpv6() {
        assertThat(HostSpec.parse("db")).isEqualTo(new HostSpec("db", 5432));
        assertThat(HostSpec.parse("[::1]:6432")).isEqualTo(new HostSpec("::1", 6432));
        assertThat(HostSpec.parse("[::1]:6432").toString()).isEqualTo("[::1]:6432");
        assertThat(new HostSpec("10.0.0.1", 5433).jdbcUrl("app")).isEqualTo("jdbc:postgresql://10.0.0.1:5433/app");
        assertThatThrownBy(() -> HostSpec.parse("::1")).hasMessageContaining("[address]:port");
    }

    @Test
    void aNameIsOptionalAndMustBeUsableInPoolNamesAndJmx() {
        assertThat(seed().config().name()).as("unset: numbered when the data source starts").isNull();
        assertThat(seed().name("eu-west_1.orders").config().name()).isEqualTo("eu-west_1.orders");
        assertThatThrownBy(() -> seed().name("orders:eu").config())
                .hasMessageContaining("pgflip.name (name) = 'orders:eu': expected 1 to 64 letters, digits, '.', '_' or '-'");
        assertThatThrownBy(() -> seed().name("").config()).hasMessageContaining("pgflip.name (name) = ''");
        assertThatThrownBy(() -> seed().name("a,b=c").config()).hasMessageContaining("'a,b=c'");
        assertThatThrownBy(() -> seed().name("x".repeat(65)).config()).hasMessageContaining("pgflip.name");
        Properties p = new Properties();
        p.setProperty("pgflip.name", "orders");
        p.setProperty("pgflip.write", "198.18.0.100");
        p.setProperty("pgflip.database", "postgres");
        p.setProperty("pgflip.user", "postgres");
        assertThat(dev.pgflip.jdbc.internal.PropertiesBinding.builder(p).config().name()).isEqualTo("orders");
        assertThat(dev.pgflip.jdbc.internal.PropertiesBinding.builder(p).config().toString()).startsWith("name=orders ");
    }
}
