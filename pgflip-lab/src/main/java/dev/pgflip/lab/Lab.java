package dev.pgflip.lab;

import dev.pgflip.lab.cluster.NodeSql;
import dev.pgflip.lab.cluster.PostgresNode;
import dev.pgflip.lab.net.LabNetwork;
import dev.pgflip.lab.process.Commands;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;

/** Everything the lab's operations share: where it lives, its shape, and how it runs commands. */
public final class Lab {
    /** The seed application's credentials (postgres / 123456), kept as the seed has them. */
    public static final String APP_USER = "postgres";
    public static final String APP_PASSWORD = "123456";

    private final LabLayout layout;
    private final LabTopology topology;
    private final Commands commands;
    private final LabNetwork network;

    public Lab(LabLayout layout, LabTopology topology) {
        this.layout = layout;
        this.topology = topology;
        // libpq in repmgr and in the walreceiver reads passwords from this file; it is never put on a command line.
        this.commands = new Commands(Map.of("PGPASSFILE", layout.pgpass().toString(), "HOME", "/var/lib/postgresql"));
        this.network = new LabNetwork(commands, topology);
    }

    public LabLayout layout() { return layout; }
    public LabTopology topology() { return topology; }
    public Commands commands() { return commands; }
    public LabNetwork network() { return network; }

    public PostgresNode postgres(LabNode node) {
        return new PostgresNode(node, layout, commands);
    }

    public LabState state() {
        return LabState.load(layout.stateFile());
    }

    public NodeSql appSql() {
        return new NodeSql(APP_USER, APP_PASSWORD);
    }

    public NodeSql repmgrSql() {
        return new NodeSql("repmgr", readSecret(layout.repmgrPasswordFile()));
    }

    public EmulatorApi emulatorApi() {
        return new EmulatorApi(URI.create(topology.apiUrl()), layout.caCertificate(), readSecret(layout.tokenFile()));
    }

    /**
     * The address {@code standby}'s walreceiver streams from, asked of the standby itself; empty when it does not
     * stream.
     *
     * @throws SQLException when the standby cannot be asked
     */
    public Optional<String> streamingFrom(LabNode standby) throws SQLException {
        try (var c = appSql().connect(standby.address(), "postgres", 2); var s = c.createStatement();
             var rs = s.executeQuery("SELECT sender_host FROM pg_stat_wal_receiver WHERE status = 'streaming'")) {
            return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
        }
    }

    /** Waits (30 s at most) until the primary reports the standby's walreceiver as streaming. */
    public void awaitStreaming(LabNode standby, LabNode primary) {
        Deadline deadline = Deadline.after(Duration.ofSeconds(30));
        while (true) {
            try (var c = appSql().connect(primary.address(), "postgres", 2);
                 var ps = c.prepareStatement("SELECT count(*) FROM pg_stat_replication"
                         + " WHERE application_name = ? AND state = 'streaming'")) {
                ps.setString(1, standby.name());
                try (var rs = ps.executeQuery()) {
                    if (rs.next() && rs.getInt(1) > 0) {
                        return;
                    }
                }
            } catch (SQLException e) {
                // the primary answers again in a moment
            }
            deadline.check(standby.name() + " to stream from " + primary.name());
            LabUp.sleep(100);
        }
    }

    /**
     * Waits until the witness holds {@code standby} eligible for promotion (pgflip.promotion): the primary's keeper
     * marks a rejoined standby so once it has caught up with synchronous replication on. Until then its promote
     * wrapper refuses, so a failover right after a rejoin (the drill's failback) would find nobody to promote.
     */
    public void awaitEligible(LabNode standby) {
        awaitOnWitness(Duration.ofSeconds(30), "SELECT to_regclass('pgflip.promotion') IS NULL"
                + " OR coalesce((SELECT eligible FROM pgflip.promotion WHERE node_name = ?), true),"
                + " (SELECT eligible::text FROM pgflip.promotion WHERE node_name = ?)",
                List.of(standby.name(), standby.name()), seen -> "gave up after 30 s waiting for " + standby.name()
                        + " to be eligible for promotion on the witness (eligible: " + seen + ")");
    }

    private static final Duration WITNESS_FOLLOW_WAIT = Duration.ofSeconds(75);

    /**
     * Waits until the witness's own copy of repmgr.nodes has {@code primary} as the active primary and {@code standby}
     * as an active standby: repmgrd on the witness finds the primary only there. A copy left stale (the standby still
     * the inactive failed primary of the last failover) sent it into a loop without a pause, looking for a primary it
     * could not find, and it never followed the real one again (seen on the lab, 2026-12-07): the lab fails here. The
     * wait covers repmgr's primary_notification_timeout (60 s): after a promotion no repmgrd announces (by hand), the
     * witness that lost its primary waits that long for a notice before it looks again (hand-promote, seen).
     */
    public void awaitWitnessFollows(LabNode primary, LabNode standby) {
        awaitOnWitness(WITNESS_FOLLOW_WAIT, "SELECT bool_or(node_name = ? AND type = 'primary' AND active)"
                + " AND bool_or(node_name = ? AND type = 'standby' AND active),"
                + " string_agg(node_name || ' ' || type || CASE WHEN active THEN '' ELSE ' (inactive)' END, ', '"
                + " ORDER BY node_id) FROM repmgr.nodes", List.of(primary.name(), standby.name()),
                seen -> "the witness's copy of repmgr.nodes still does not have " + primary.name()
                        + " as the active primary and " + standby.name() + " as an active standby after "
                        + WITNESS_FOLLOW_WAIT.toSeconds() + " s (it has: " + seen + "): its repmgrd is stuck looking"
                        + " for a primary (see its log for 'is not primary, restarting monitoring'); restart it");
    }

    /**
     * Asks the witness's repmgr database {@code question} every 100 ms until its first column is true; its second,
     * what the witness had at the last look (or why it could not be asked), goes into {@code failure}'s message when
     * {@code wait} runs out. The question's parameters are {@code names}, in order.
     */
    private void awaitOnWitness(Duration wait, String question, List<String> names, Function<String, String> failure) {
        Deadline deadline = Deadline.after(wait);
        String seen = "not asked yet";
        while (true) {
            try (var c = appSql().connect(witness().address(), "repmgr", 2); var ps = c.prepareStatement(question)) {
                for (int i = 0; i < names.size(); i++) {
                    ps.setString(i + 1, names.get(i));
                }
                try (var rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getBoolean(1)) {
                        return;
                    }
                    seen = rs.getString(2);
                }
            } catch (SQLException e) {
                seen = e.getMessage(); // the witness answers again in a moment, or the message says why not
            }
            if (deadline.expired()) {
                throw new LabException(failure.apply(seen));
            }
            LabUp.sleep(100);
        }
    }

    /**
     * The timeline the witness records {@code node}'s last promotion onto (pgflip.promotion, its claim done); empty
     * while none is recorded, its claim is still in flight, or the witness cannot be asked.
     */
    public OptionalLong promotionRecordedOnWitness(LabNode node) {
        try (var c = appSql().connect(witness().address(), "repmgr", 2);
             var ps = c.prepareStatement("SELECT promoted_timeline FROM pgflip.promotion WHERE node_name = ?"
                     + " AND NOT promoting AND promoted_timeline IS NOT NULL")) {
            ps.setString(1, node.name());
            try (var rs = ps.executeQuery()) {
                return rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
            }
        } catch (SQLException e) {
            return OptionalLong.empty();
        }
    }

    private LabNode witness() {
        return topology().nodes().stream().filter(n -> n.initialRole() == LabNode.NodeRole.WITNESS).findFirst()
                .orElseThrow();
    }

    static String readSecret(java.nio.file.Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": is the lab up? (pgflip lab up)", e);
        }
    }
}
