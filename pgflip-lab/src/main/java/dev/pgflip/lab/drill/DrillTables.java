package dev.pgflip.lab.drill;

import dev.pgflip.lab.Lab;
import dev.pgflip.lab.LabException;
import dev.pgflip.lab.LabNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The drill's two tables: {@code drill_writes}, the clients' numbered rows (an acknowledged row missing on the new
 * primary is a lost write), and {@code drill_probe}, the {@link WritableNodesProbe}'s direct writes. Both are made
 * through the floating IP, so they replicate to the standby and exist on whichever node is primary later.
 */
final class DrillTables {
    private final Lab lab;

    DrillTables(Lab lab) {
        this.lab = lab;
    }

    void prepare() {
        try {
            lab.appSql().execute(lab.topology().flipIp(), "postgres",
                    "CREATE TABLE IF NOT EXISTS drill_writes (client text NOT NULL, seq bigint NOT NULL, node text,"
                            + " at timestamptz NOT NULL DEFAULT clock_timestamp(), PRIMARY KEY (client, seq));"
                            + "TRUNCATE drill_writes;" + WritableNodesProbe.createTable());
        } catch (SQLException e) {
            throw new LabException("cannot prepare the drill tables through the floating IP: " + e.getMessage(), e);
        }
    }

    /**
     * The client's rows on any of the nodes that answer: a write is lost only if none holds it. For a failover fault
     * that promoted nobody, where the standbys are all there is to read (the old primary may be frozen or dead).
     */
    Set<Long> presentSeqsOnAny(List<LabNode> nodes, String client) {
        Set<Long> seqs = new HashSet<>();
        LabException last = null;
        int answered = 0;
        for (LabNode node : nodes) {
            try {
                seqs.addAll(presentSeqs(node, client));
                answered++;
            } catch (LabException e) {
                last = e;
            }
        }
        if (answered == 0 && last != null) {
            throw last;
        }
        return seqs;
    }

    /** The sequence numbers of this client's rows on {@code primary}: the acknowledged writes must all be there. */
    Set<Long> presentSeqs(LabNode primary, String client) {
        Set<Long> seqs = new HashSet<>();
        try (Connection c = lab.appSql().connect(primary.address(), "postgres", 5);
             PreparedStatement ps = c.prepareStatement("SELECT seq FROM drill_writes WHERE client = ?")) {
            ps.setString(1, client);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    seqs.add(rs.getLong(1));
                }
            }
        } catch (SQLException e) {
            throw new LabException("cannot read the acknowledged writes back from " + primary.name() + ": " + e.getMessage(), e);
        }
        return seqs;
    }
}
