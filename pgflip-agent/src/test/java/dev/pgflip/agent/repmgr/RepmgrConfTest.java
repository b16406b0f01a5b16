package dev.pgflip.agent.repmgr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class RepmgrConfTest {
    private static final Path FILE = Path.of("/etc/repmgr.conf");

    @Test
    void readsQuotedAndBareValuesAndSkipsComments() {
        RepmgrConf conf = RepmgrConf.parse(FILE, """
                # repmgr.conf
                node_id=2
                node_name='n2'
                conninfo='host=198.18.0.12 port=5433 user=repmgr connect_timeout=2 tcp_user_timeout=900'
                reconnect_attempts = 1   # fast
                promote_command='/usr/bin/pgflip-promote ''quoted'' arg'
                """);
        assertThat(conf.get("node_name")).contains("n2");
        assertThat(conf.intValue("reconnect_attempts", 6)).isEqualTo(1);
        assertThat(conf.intValue("reconnect_interval", 10)).as("repmgr's default when absent").isEqualTo(10);
        assertThat(conf.get("promote_command")).contains("/usr/bin/pgflip-promote 'quoted' arg");
        Conninfo conninfo = conf.conninfo();
        assertThat(conninfo.host()).contains("198.18.0.12");
        assertThat(conninfo.port()).isEqualTo(5433);
        assertThat(conninfo.intValue("tcp_user_timeout")).hasValue(900);
    }

    @Test
    void errorsNameTheFileAndTheLine() {
        assertThatThrownBy(() -> RepmgrConf.parse(FILE, "node_id=1\nthis is not a setting\n"))
                .hasMessage("/etc/repmgr.conf line 2: expected key=value, found \"this is not a setting\"");
        assertThatThrownBy(() -> RepmgrConf.parse(FILE, "conninfo='host=a\n"))
                .hasMessageContaining("line 1: unterminated quoted value");
        assertThatThrownBy(() -> RepmgrConf.parse(FILE, "reconnect_attempts=many\n").intValue("reconnect_attempts", 6))
                .hasMessageContaining("reconnect_attempts=many is not an integer");
        assertThatThrownBy(() -> RepmgrConf.parse(FILE, "node_id=1\n").conninfo())
                .hasMessageContaining("has no conninfo");
    }

    @Test
    void conninfoUnderstandsQuotedValuesAndDefaultsThePort() {
        Conninfo c = Conninfo.parse("host='db one' dbname=repmgr application_name='it''s'");
        assertThat(c.host()).contains("db one");
        assertThat(c.port()).isEqualTo(5432);
        assertThat(c.intValue("connect_timeout")).isEmpty();
    }
}
