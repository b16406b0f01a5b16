package dev.pgflip.agent.doctor;

import dev.pgflip.agent.PgflipException;
import dev.pgflip.agent.config.DatabaseConfig;
import dev.pgflip.agent.db.NodeConnector;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Optional;
import java.util.stream.Collectors;

/** This node's PostgreSQL answers (node.database), and the cluster has exactly one primary. */
final class LocalNodeChecks {
    /**
     * Doctor's connect, login and statement timeout: a diagnosis is not a failover, and on a loaded machine a node
     * that takes over a second to let a login in (seen in CI) must not be reported unreachable.
     */
    static final int DOCTOR_TIMEOUT_S = 5;

    private final DatabaseConfig db;
    private final Path configFile;

    LocalNodeChecks(DatabaseConfig db, Path configFile) {
        this.db = db;
        this.configFile = configFile;
    }

    /** The open connection (the caller closes it) and the cluster, when the node answers. */
    record Outcome(Optional<LocalNode> node, Optional<ClusterView> cluster) {}

    Outcome run(DoctorReport report) {
        String where = db.host() + ":" + db.port() + " (database " + db.dbname() + ", user " + db.user() + ")";
        LocalNode node;
        String role;
        String version;
        try {
            node = LocalNode.connect(NodeConnector.of(db, "pgflip-doctor", DOCTOR_TIMEOUT_S));
            role = node.inRecovery() ? "a standby" : "a primary";
            version = node.serverVersion();
        } catch (SQLException | PgflipException e) {
            report.add(CheckResult.fail("postgres", "cannot reach PostgreSQL at " + where + ": " + CheckResult.firstLine(e.getMessage()),
                    "start PostgreSQL, or fix node.database in " + configFile
                            + " (password from node.database.password_file or the pgpass file)"));
            report.add(CheckResult.skipped("primary", "current primary not found: this node's PostgreSQL does not answer"));
            return new Outcome(Optional.empty(), Optional.empty());
        }
        report.add(CheckResult.ok("postgres", "PostgreSQL " + version + " at " + where + " answers as " + role));
        report.add(superuser(node));
        return new Outcome(Optional.of(node), primary(node, report));
    }

    private CheckResult superuser(LocalNode node) {
        try {
            return node.superuser() ? CheckResult.ok("superuser", "user " + db.user() + " is a superuser")
                    : CheckResult.fail("superuser", "user " + db.user() + " is not a superuser: the agent's ALTER SYSTEM"
                    + " (synchronous replication, the fence), pg_terminate_backend and CHECKPOINT would fail",
                    "as postgres: psql -c 'ALTER ROLE " + db.user() + " SUPERUSER' (repmgr's own user needs it too)");
        } catch (SQLException e) {
            return CheckResult.skipped("superuser", "cannot read pg_roles: " + CheckResult.firstLine(e.getMessage()));
        }
    }

    private static Optional<ClusterView> primary(LocalNode node, DoctorReport report) {
        ClusterView cluster;
        try {
            cluster = node.cluster();
        } catch (SQLException e) {
            report.add(CheckResult.fail("primary", "cannot read repmgr.nodes on this node: " + CheckResult.firstLine(e.getMessage()),
                    "register the node with repmgr (repmgr primary|standby|witness register)"));
            return Optional.empty();
        }
        String everyone = cluster.members().stream().map(m -> m.name() + "=" + m.role()).collect(Collectors.joining(", "));
        if (cluster.primary().isPresent()) {
            report.add(CheckResult.ok("primary", "current primary: " + cluster.primary().get().describe() + " [" + everyone + "]"));
        } else if (cluster.primaries().isEmpty()) {
            report.add(CheckResult.fail("primary", "no node of repmgr.nodes answers as primary [" + everyone + "]",
                    "see 'repmgr cluster show' and the repmgrd logs: a failover may have failed"));
        } else {
            report.add(CheckResult.fail("primary", "more than one node answers as primary [" + everyone + "]",
                    "stop the old primary now (split brain), then bring it back with 'pgflip rejoin'"));
        }
        return Optional.of(cluster);
    }
}
