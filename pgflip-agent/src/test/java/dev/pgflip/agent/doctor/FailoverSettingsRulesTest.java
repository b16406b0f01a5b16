package dev.pgflip.agent.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgflip.agent.config.ReplicationConfig;
import dev.pgflip.agent.db.SynchronousStandbyNames;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FailoverSettingsRulesTest {
    static final Path CONFIG = Path.of("/etc/pgflip/pgflip.yaml");
    static final Optional<ReplicationConfig> SYNC = Optional.of(new ReplicationConfig("ANY 1 (n1, n2)", Duration.ofSeconds(1)));

    Map<String, ServerSetting> settings = new HashMap<>(Map.of(
            "wal_log_hints", ServerSetting.of("wal_log_hints", "on"),
            "data_checksums", ServerSetting.of("data_checksums", "off"),
            "max_replication_slots", ServerSetting.of("max_replication_slots", "10"),
            "hot_standby", ServerSetting.of("hot_standby", "on"),
            "shared_preload_libraries", ServerSetting.of("shared_preload_libraries", "pg_stat_statements, repmgr"),
            "synchronous_standby_names", ServerSetting.of("synchronous_standby_names", ""),
            "synchronous_commit", ServerSetting.of("synchronous_commit", "on")));

    FailoverSettingsRules rules(Optional<ReplicationConfig> replication) {
        return new FailoverSettingsRules(settings, Optional.of(true), 2, replication, "n2", false, CONFIG);
    }

    void set(String name, String value) {
        settings.put(name, ServerSetting.of(name, value));
    }

    @Test
    void theLabsSettingsPassEveryRule() {
        List<CheckResult> results = rules(SYNC).check();

        assertThat(results).extracting(CheckResult::check).containsExactly("wal_log_hints", "replication_slots",
                "hot_standby", "synchronous_replication", "shared_preload_libraries");
        assertThat(results).allMatch(r -> r.status() == CheckStatus.OK, "all ok: " + results);
    }

    @Test
    void walLogHintsOffFailsUnlessDataChecksumsAreOn() {
        set("wal_log_hints", "off");
        assertThat(rules(SYNC).walLogHints().failed()).isTrue();
        assertThat(rules(SYNC).walLogHints().fix()).hasValueSatisfying(f -> assertThat(f).contains("wal_log_hints = on"));

        set("data_checksums", "on");
        assertThat(rules(SYNC).walLogHints().status()).isEqualTo(CheckStatus.OK);
    }

    @Test
    void aValuePendingARestartIsWhatCounts() {
        settings.put("wal_log_hints", new ServerSetting("wal_log_hints", "on", Optional.of("off")));

        CheckResult r = rules(SYNC).walLogHints();

        assertThat(r.failed()).isTrue();
        assertThat(r.message()).startsWith("wal_log_hints=on (off after the next restart)");
    }

    @Test
    void aGoodValueThatOnlyARestartBringsIsNotGoodYet() {
        settings.put("shared_preload_libraries", new ServerSetting("shared_preload_libraries", "", Optional.of("repmgr")));

        CheckResult r = rules(SYNC).sharedPreloadLibraries();

        assertThat(r.failed()).isTrue();
        assertThat(r.message()).startsWith("shared_preload_libraries='' (repmgr after the next restart)");
    }

    @Test
    void slotsMustCoverTheOtherDataNodesWhenRepmgrUsesThem() {
        set("max_replication_slots", "0");
        assertThat(rules(SYNC).replicationSlots().failed()).isTrue();
        assertThat(new FailoverSettingsRules(settings, Optional.of(false), 2, SYNC, "n2", false, CONFIG).replicationSlots().status())
                .isEqualTo(CheckStatus.OK);
        set("max_replication_slots", "1");
        assertThat(rules(SYNC).replicationSlots().status()).isEqualTo(CheckStatus.OK);
        assertThat(new FailoverSettingsRules(settings, Optional.of(true), 4, SYNC, "n2", false, CONFIG).replicationSlots().failed()).isTrue();
        assertThat(new FailoverSettingsRules(settings, Optional.empty(), 2, SYNC, "n2", false, CONFIG).replicationSlots().message())
                .contains("use_replication_slots unknown");
    }

    @Test
    void hotStandbyOffAndNoRepmgrLibraryFail() {
        set("hot_standby", "off");
        set("shared_preload_libraries", "pg_stat_statements");

        assertThat(rules(SYNC).hotStandby().failed()).isTrue();
        assertThat(rules(SYNC).sharedPreloadLibraries().failed()).isTrue();
        assertThat(rules(SYNC).sharedPreloadLibraries().fix()).hasValueSatisfying(f -> assertThat(f).contains("'repmgr'"));
    }

    @Test
    void aLibraryListTheUserCannotReadIsSkippedNotFailed() {
        settings.remove("shared_preload_libraries");

        CheckResult r = rules(SYNC).sharedPreloadLibraries();

        assertThat(r.status()).isEqualTo(CheckStatus.SKIPPED);
        assertThat(r.message()).contains("cannot read it").contains("pg_read_all_settings");
    }

    @Test
    void synchronousCommitLocalDefeatsTheReplicationSection() {
        set("synchronous_commit", "local");

        CheckResult r = rules(SYNC).synchronousReplication();

        assertThat(r.failed()).isTrue();
        assertThat(r.message()).contains("synchronous_commit=local");
    }

    @Test
    void theReplicationSectionMustNameThisNode() {
        Optional<ReplicationConfig> other = Optional.of(new ReplicationConfig("FIRST 1 (n1, n3)", Duration.ofSeconds(1)));

        assertThat(rules(other).synchronousReplication().failed()).isTrue();
        assertThat(rules(Optional.of(new ReplicationConfig("*", Duration.ofSeconds(1)))).synchronousReplication().status())
                .isEqualTo(CheckStatus.OK);
        assertThat(rules(Optional.of(new ReplicationConfig("\"N2\", n1", Duration.ofSeconds(1)))).synchronousReplication().status())
                .isEqualTo(CheckStatus.OK);
    }

    @Test
    void synchronousNamesWithoutAReplicationSectionWouldBlockWritesForever() {
        set("synchronous_standby_names", "n1");

        CheckResult r = rules(Optional.empty()).synchronousReplication();

        assertThat(r.failed()).isTrue();
        assertThat(r.fix()).hasValueSatisfying(f -> assertThat(f).contains("replication:").contains(CONFIG.toString()));
        set("synchronous_standby_names", "");
        assertThat(rules(Optional.empty()).synchronousReplication().status()).isEqualTo(CheckStatus.OK);
    }

    @Test
    void theWitnessIsOnlyAskedForTheRepmgrLibrary() {
        set("wal_log_hints", "off");
        set("hot_standby", "off");

        List<CheckResult> results = new FailoverSettingsRules(settings, Optional.of(true), 2, SYNC, "n3", true, CONFIG).check();

        assertThat(results).noneMatch(CheckResult::failed);
        assertThat(results).extracting(CheckResult::check).contains("shared_preload_libraries");
    }

    @Test
    void standbyNamesParseInEverySyntax() {
        assertThat(SynchronousStandbyNames.parse("ANY 1 (n1, n2)").names()).containsExactly("n1", "n2");
        assertThat(SynchronousStandbyNames.parse("first 2 ( \"a b\" ,c)").names()).containsExactly("a b", "c");
        assertThat(SynchronousStandbyNames.parse("1 (x)").names()).containsExactly("x");
        assertThat(SynchronousStandbyNames.parse("x, y").names()).containsExactly("x", "y");
        assertThat(SynchronousStandbyNames.parse("").names()).isEmpty();
    }
}
