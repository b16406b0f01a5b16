package dev.pgflip.agent.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pgflip.agent.config.DatabaseConfig;
import java.sql.SQLException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NodeConnectorTest {
    private final NodeConnector connector =
            NodeConnector.of(new DatabaseConfig("198.18.0.12", 5432, "repmgr", "repmgr", Optional.empty()), "test");

    @Test
    void anIpv6AddressGoesInBracketsAsPgjdbcNeedsIt() {
        assertThat(NodeConnector.url("198.18.0.12", 5432, "repmgr")).isEqualTo("jdbc:postgresql://198.18.0.12:5432/repmgr");
        assertThat(NodeConnector.url("fd00::12", 5433, "repmgr")).isEqualTo("jdbc:postgresql://[fd00::12]:5433/repmgr");
        assertThat(NodeConnector.url("[fd00::12]", 5432, "repmgr")).isEqualTo("jdbc:postgresql://[fd00::12]:5432/repmgr");
    }

    @Test
    void aConninfoWithoutAHostIsRefusedBeforeAnyConnectionAndItsPasswordIsNotShown() {
        assertThatThrownBy(() -> connector.connect(Conninfo.parse("port=5432 user=repmgr password=s3cret")))
                .isInstanceOf(SQLException.class).hasMessageContaining("no host in the conninfo")
                .hasMessageNotContaining("s3cret");
    }
}
