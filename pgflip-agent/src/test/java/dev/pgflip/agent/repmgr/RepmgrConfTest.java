package dev.pgflip.agent.repmgr;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RepmgrConfTest {
    static final Path FILE = Path.of("/etc/repmgr.conf");

    @TempDir
    Path dir;

    @Test
    void readsQuotedUnquotedAndNumericValuesWithOrWithoutEquals() {
        RepmgrConf conf = RepmgrConf.parse(String.join("\n",
                "# repmgr.conf of n2",
                "node_id=2",
                "node_name = 'n2'   # trailing comment",
                "conninfo='host=198.18.0.12 port=5432 user=repmgr dbname=repmgr connect_timeout=2'",
                "failover automatic",
                "use_replication_slots=yes",
                "",
                "log_level\t=\t'INFO'"), FILE);

        assertThat(conf.problems()).isEmpty();
        assertThat(conf.value("node_id")).contains("2");
        assertThat(conf.value("node_name")).contains("n2");
        assertThat(conf.value("conninfo")).contains("host=198.18.0.12 port=5432 user=repmgr dbname=repmgr connect_timeout=2");
        assertThat(conf.value("failover")).contains("automatic");
        assertThat(conf.value("log_level")).contains("INFO");
        assertThat(conf.flag("use_replication_slots")).isTrue();
        assertThat(conf.flag("absent")).isFalse();
    }

    @Test
    void quotedValuesKeepHashesAndUnescapeQuotes() {
        RepmgrConf conf = RepmgrConf.parse(String.join("\n",
                "event_notification_command='/usr/local/bin/pgflip event %n %e %s \"%t\" \"%d\" # not a comment'",
                "location='it''s here'",
                "data_directory='/var/lib/postgresql/15/it\\'s'"), FILE);

        assertThat(conf.problems()).isEmpty();
        assertThat(conf.value("event_notification_command"))
                .contains("/usr/local/bin/pgflip event %n %e %s \"%t\" \"%d\" # not a comment");
        assertThat(conf.value("location")).contains("it's here");
        assertThat(conf.value("data_directory")).contains("/var/lib/postgresql/15/it's");
    }

    @Test
    void theLastOfARepeatedSettingWins() {
        RepmgrConf conf = RepmgrConf.parse("promote_command='a'\npromote_command='b'\n", FILE);

        assertThat(conf.value("promote_command")).contains("b");
    }

    @Test
    void syntaxErrorsAreCollectedWithTheirLineNumbersAsRepmgrWouldRefuseThem() {
        RepmgrConf conf = RepmgrConf.parse(String.join("\n",
                "node_id=2",
                "data_directory=/var/lib/postgresql/15/main",
                "node_name='n2",
                "priority=",
                "conninfo='host=x' extra",
                "= 'orphan'"), FILE);

        assertThat(conf.isValid()).isFalse();
        assertThat(conf.problems()).hasSize(5);
        assertThat(conf.problems().get(0)).startsWith("line 2: value \"/var/lib/postgresql/15/main\" must be single-quoted");
        assertThat(conf.problems().get(1)).startsWith("line 3: unterminated quoted value");
        assertThat(conf.problems().get(2)).startsWith("line 4: missing value");
        assertThat(conf.problems().get(3)).startsWith("line 5: unexpected text after the value of conninfo");
        assertThat(conf.problems().get(4)).startsWith("line 6:");
        assertThat(conf.value("node_id")).contains("2");
        assertThat(conf.value("data_directory")).isEmpty();
    }

    @Test
    void readsAFileWithWindowsLineEnds() throws Exception {
        Path file = dir.resolve("repmgr.conf");
        Files.writeString(file, "node_id=3\r\nnode_name='n3'\r\n");

        RepmgrConf conf = RepmgrConf.read(file);

        assertThat(conf.problems()).isEmpty();
        assertThat(conf.value("node_name")).contains("n3");
        assertThat(conf.file()).isEqualTo(file);
    }

    @Test
    void theDataDirectoryAndPostgresProgramsAreWhereRepmgrLooksForThem() {
        RepmgrConf withBin = RepmgrConf.parse("data_directory='/var/lib/postgresql/15/main'\n"
                + "pg_bindir='/usr/lib/postgresql/15/bin'\n", java.nio.file.Path.of("/etc/repmgr.conf"));
        assertThat(withBin.dataDirectory()).hasValue(java.nio.file.Path.of("/var/lib/postgresql/15/main"));
        assertThat(withBin.program("pg_ctl")).isEqualTo(java.nio.file.Path.of("/usr/lib/postgresql/15/bin/pg_ctl"));
        RepmgrConf bare = RepmgrConf.parse("node_id=1\n", java.nio.file.Path.of("/etc/repmgr.conf"));
        assertThat(bare.dataDirectory()).isEmpty();
        assertThat(bare.program("pg_controldata")).as("no pg_bindir: PATH, as repmgr does")
                .isEqualTo(java.nio.file.Path.of("pg_controldata"));
    }
}
