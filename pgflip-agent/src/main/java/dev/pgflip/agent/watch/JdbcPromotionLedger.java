package dev.pgflip.agent.watch;

import dev.pgflip.agent.db.Conninfo;
import dev.pgflip.agent.db.NodeConnector;
import dev.pgflip.agent.db.RepmgrNode;
import dev.pgflip.agent.db.RepmgrNodes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/** {@link PromotionLedger} over pgjdbc: the witness found in this node's repmgr.nodes, the agent's 1 s timeouts. */
public final class JdbcPromotionLedger implements PromotionLedger {
    private final NodeConnector connector;
    private final String self;

    public JdbcPromotionLedger(NodeConnector connector, String self) {
        this.connector = connector;
        this.self = self;
    }

    @Override
    public List<String> markIneligible(Collection<String> standbys, String reason, long primaryLsn) {
        return onWitness("cannot mark " + standbys + " ineligible on the witness", c -> {
            List<String> claimed = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(PromotionClaims.MARK_INELIGIBLE)) {
                for (String standby : standbys) {
                    ps.setString(1, standby);
                    ps.setString(2, self);
                    ps.setString(3, reason);
                    ps.setLong(4, primaryLsn);
                    ps.setString(5, self);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next()) {
                            claimed.add(standby);
                        }
                    }
                }
            }
            return claimed;
        }).orElse(List.of());
    }

    @Override
    public void markEligible(String standby, String reason) {
        onWitness("cannot mark " + standby + " eligible on the witness", c -> {
            try (PreparedStatement ps = c.prepareStatement(PromotionClaims.MARK_ELIGIBLE)) {
                ps.setString(1, standby);
                ps.setString(2, self);
                ps.setString(3, reason);
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public OptionalLong recordPromotion(long timeline) {
        return onWitness("cannot record this node's promotion on the witness", c -> {
            try (PreparedStatement ps = c.prepareStatement(PromotionClaims.RECORD_PROMOTION)) {
                ps.setString(1, self);
                ps.setString(2, self);
                ps.setString(3, self);
                ps.setString(4, "promoted on timeline " + timeline);
                ps.setLong(5, timeline);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    boolean wasEligible = rs.getBoolean(1);
                    long from = rs.getLong(2); // 0 (unknown) when no degrade recorded where
                    return wasEligible ? OptionalLong.empty() : OptionalLong.of(from);
                }
            }
        }).orElse(OptionalLong.empty());
    }

    @Override
    public boolean completeOwnClaim(long timeline) {
        return onWitness("cannot complete this node's claim on the witness", c -> {
            try (PreparedStatement ps = c.prepareStatement(PromotionClaims.COMPLETE_OWN_CLAIM)) {
                ps.setLong(1, timeline);
                ps.setString(2, self);
                ps.setString(3, "promoted on timeline " + timeline + ", recorded by its watch after a restart");
                ps.setString(4, self);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        }).orElse(false);
    }

    @Override
    public List<String> otherDataNodes() {
        // Inactive ones too: a standby whose PostgreSQL stopped is marked inactive by its own repmgrd, and becomes
        // active again when it starts; unmarked, it could then be promoted without what this node acknowledged alone.
        try (Connection c = connector.connectLocal()) {
            return RepmgrNodes.read(c).otherThan(self).stream().filter(RepmgrNode::holdsData).map(RepmgrNode::name)
                    .toList();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read repmgr.nodes: " + e.getMessage(), e);
        }
    }

    private interface Work<T> {
        T apply(Connection c) throws SQLException;
    }

    /** Empty when no witness is registered: there is nowhere to keep the marks. */
    private <T> Optional<T> onWitness(String what, Work<T> work) {
        Optional<Conninfo> witness = witness();
        if (witness.isEmpty()) {
            return Optional.empty();
        }
        Conninfo w = witness.get();
        try (Connection c = connector.connect(w)) {
            try (Statement s = c.createStatement()) {
                s.execute(PromotionClaims.SCHEMA);
            }
            c.setAutoCommit(false);
            T result = work.apply(c);
            c.commit();
            return Optional.ofNullable(result);
        } catch (SQLException e) {
            throw new IllegalStateException(what + ": " + e.getMessage(), e);
        }
    }

    private Optional<Conninfo> witness() {
        try (Connection c = connector.connectLocal()) {
            return RepmgrNodes.read(c).activeWitness();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read repmgr.nodes: " + e.getMessage(), e);
        }
    }
}
