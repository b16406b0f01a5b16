package dev.pgflip.agent.watch;

import dev.pgflip.agent.config.DatabaseConfig;
import dev.pgflip.agent.db.Conninfo;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The guard over pgjdbc: the peers come from this node's own {@code repmgr.nodes} (so nothing but repmgr.conf lists
 * the cluster), each asked with 1 s timeouts whether it is a primary and on which timeline. A primary's timeline is
 * the first field of its current WAL file name, which, unlike pg_control_checkpoint(), is right from the moment of
 * promotion.
 */
public final class JdbcPrimaryGuard implements PrimaryGuard {
    private static final Logger log = LoggerFactory.getLogger(JdbcPrimaryGuard.class);
    private static final String TIMELINE = "SELECT ('x' || substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8))::bit(32)::bigint";

    private final DatabaseConfig local;
    private final Properties credentials;

    public JdbcPrimaryGuard(DatabaseConfig local, Properties credentials) {
        this.local = local;
        this.credentials = credentials;
    }

    @Override
    public Optional<PeerPrimary> outrankingPrimary() {
        long ours;
        List<String[]> peers = new ArrayList<>();
        try (Connection c = connect(local.host(), local.port()); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery(TIMELINE)) {
                rs.next();
                ours = rs.getLong(1);
            }
            peers.addAll(dataPeers(c));
        } catch (SQLException e) {
            // Our own node cannot say who we are: not the moment to take the IP.
            return Optional.of(PeerPrimary.unconfirmed("local check failed: " + e.getMessage(), local.host(), local.port()));
        }
        for (String[] peer : peers) {
            Optional<PeerPrimary> primary = askPeer(peer[0], peer[1]);
            if (primary.isPresent() && primary.get().timeline() >= ours) {
                return primary;
            }
        }
        return Optional.empty();
    }

    /**
     * Whether every other data node registered in repmgr answers and is in recovery: the proof a fenced, isolated
     * primary needs before it may take writes again (a peer it cannot ask might have been promoted meanwhile).
     */
    public boolean everyDataPeerIsStandby() {
        List<String[]> peers;
        try (Connection c = connect(local.host(), local.port())) {
            peers = dataPeers(c);
        } catch (SQLException e) {
            return false;
        }
        return !peers.isEmpty() && peers.stream().allMatch(p -> inRecovery(p[1]));
    }

    /** The other data nodes as this node's repmgr knows them: {name, conninfo} pairs. */
    private static List<String[]> dataPeers(Connection c) throws SQLException {
        List<String[]> peers = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT node_name, conninfo FROM repmgr.nodes"
                + " WHERE type IN ('primary', 'standby') AND node_id <> repmgr.get_local_node_id()");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                peers.add(new String[] {rs.getString(1), rs.getString(2)});
            }
        }
        return peers;
    }

    private boolean inRecovery(String conninfo) {
        Conninfo parsed = Conninfo.parse(conninfo);
        if (parsed.host().isEmpty() || parsed.port().isEmpty()) {
            return false;
        }
        try (Connection c = connect(parsed.host().get(), parsed.port().getAsInt());
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_is_in_recovery()")) {
            rs.next();
            return rs.getBoolean(1);
        } catch (SQLException e) {
            return false;
        }
    }

    private Optional<PeerPrimary> askPeer(String name, String conninfo) {
        Conninfo parsed = Conninfo.parse(conninfo);
        if (parsed.host().isEmpty() || parsed.port().isEmpty()) {
            return Optional.empty();
        }
        String host = parsed.host().get();
        int portNumber = parsed.port().getAsInt();
        try (Connection c = connect(host, portNumber); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT pg_is_in_recovery()")) {
                rs.next();
                if (rs.getBoolean(1)) {
                    return Optional.empty();
                }
            }
            try (ResultSet rs = s.executeQuery(TIMELINE)) {
                rs.next();
                return Optional.of(new PeerPrimary(name, host, portNumber, rs.getLong(1)));
            }
        } catch (SQLException e) {
            log.debug("peer {} not answering: {}", name, e.getMessage());
            return Optional.empty();
        }
    }

    private Connection connect(String host, int port) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://" + host + ":" + port + "/" + local.dbname(), credentials);
    }
}
