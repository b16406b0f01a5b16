package dev.pgflip.agent.db;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ConninfoTest {

    @Test
    void readsRepmgrsKeywordValueForm() {
        Conninfo c = Conninfo.parse("host=198.18.0.12 port=5433 user=repmgr dbname=repmgr connect_timeout=2");

        assertThat(c.host()).contains("198.18.0.12");
        assertThat(c.port()).hasValue(5433);
        assertThat(c.dbname()).contains("repmgr");
        assertThat(c.values()).containsEntry("connect_timeout", "2");
    }

    @Test
    void quotedValuesBlanksAroundEqualsAndTheDefaultPort() {
        Conninfo c = Conninfo.parse("host = 'db one'  application_name='it\\'s' dbname=x");

        assertThat(c.host()).contains("db one");
        assertThat(c.values()).containsEntry("application_name", "it's");
        assertThat(c.port()).hasValue(5432);
    }

    @Test
    void aPasswordIsNeverShown() {
        Conninfo c = Conninfo.parse("host=h password=sesame user=u");

        assertThat(c.values()).containsEntry("password", "sesame");
        assertThat(c.toString()).doesNotContain("sesame").contains("password=****");
    }

    @Test
    void aBadPortOrAUriGivesNothingToConnectTo() {
        assertThat(Conninfo.parse("host=h port=abc").port()).isEmpty();
        assertThat(Conninfo.parse("postgresql://h:5432/db").host()).isEmpty();
    }
}
