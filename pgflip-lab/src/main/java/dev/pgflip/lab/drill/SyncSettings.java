package dev.pgflip.lab.drill;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.pgflip.agent.config.ReplicationConfig;
import dev.pgflip.common.DurationText;
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

    /**
     * {@code replication.degrade_after} of an agent YAML (the agent's default when it has none), read by key alone: the
     * file names the node's own paths (/etc/repmgr.conf), which the whole loader would look for on the lab's host.
     */
    static long degradeAfterMs(Path yaml) {
        try {
            JsonNode value = new ObjectMapper(new YAMLFactory()).readTree(yaml.toFile()).path("replication")
                    .path("degrade_after");
            return (value.isMissingNode() || value.isNull() ? ReplicationConfig.DEFAULT_DEGRADE_AFTER
                    : DurationText.parse("replication.degrade_after", value.asText())).toMillis();
        } catch (java.io.IOException | RuntimeException e) {
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
