package dev.pgflip.lab.drill;

import dev.pgflip.agent.config.AgentConfigLoader;
import dev.pgflip.agent.config.ConfigPurpose;
import dev.pgflip.agent.config.ReplicationConfig;
import dev.pgflip.lab.Lab;
import dev.pgflip.lab.LabException;
import dev.pgflip.lab.LabNode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * What bounds a write pause when the standby goes away, as configured on the primary: the keeper's
 * {@code replication.degrade_after} (its agent YAML) and PostgreSQL's {@code wal_sender_timeout}. Writes never block
 * longer than their sum (docs/operations.md, "Synchronous replication").
 */
record SyncSettings(long degradeAfterMs, long walSenderTimeoutMs) {

    /** The degrade bound: how long commits may wait for a standby that is gone. */
    long degradeBoundMs() {
        return degradeAfterMs + walSenderTimeoutMs;
    }

    static SyncSettings read(Lab lab, LabNode primary) {
        return new SyncSettings(degradeAfterMs(lab.layout().agentConf(primary)), walSenderTimeoutMs(lab, primary));
    }

    /** {@code replication.degrade_after} of an agent YAML (the agent's default when the section has none). */
    static long degradeAfterMs(Path yaml) {
        try {
            return AgentConfigLoader.load(yaml, ConfigPurpose.EVENT).replication()
                    .map(ReplicationConfig::degradeAfter).orElse(ReplicationConfig.DEFAULT_DEGRADE_AFTER).toMillis();
        } catch (RuntimeException e) {
            throw new LabException("cannot read replication.degrade_after from " + yaml + ": " + e.getMessage(), e);
        }
    }

    static long walSenderTimeoutMs(Lab lab, LabNode node) {
        try (Connection c = lab.appSql().connect(node.address(), "postgres", 2); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT setting::bigint FROM pg_settings WHERE name = 'wal_sender_timeout'")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new LabException("cannot read wal_sender_timeout on " + node.name() + ": " + e.getMessage(), e);
        }
    }
}
