package dev.pgflip.agent.doctor;

import dev.pgflip.agent.PgflipException;
import dev.pgflip.agent.config.AgentConfig;
import dev.pgflip.agent.config.DatabaseConfig;
import dev.pgflip.agent.db.NodeConnector;
import dev.pgflip.agent.db.Recovery;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * {@code pgflip rejoin} finds the current primary through the floating IP, as the agent's user, with this node's
 * credentials: on a droplet the guide's own firewall and pg_hba rules (5432 from the application droplets only) could
 * block exactly that path, and the rejoin would then fail when it is needed. Asked the way the rejoin asks.
 */
final class RejoinPathCheck {
    static final String CHECK = "rejoin_path";
    private final AgentConfig config;

    RejoinPathCheck(AgentConfig config) {
        this.config = config;
    }

    CheckResult run() {
        DatabaseConfig db = config.requireDatabase();
        String flip = config.requireFlip().ip();
        String where = flip + ":" + db.port() + " (database " + db.dbname() + ", user " + db.user() + ")";
        try (Connection c = NodeConnector.of(db, "pgflip-doctor", LocalNodeChecks.DOCTOR_TIMEOUT_S).connect(flip, db.port())) {
            return Recovery.inRecovery(c)
                    ? CheckResult.fail(CHECK, "the floating IP leads to a standby (" + where + "): pgflip rejoin would"
                    + " find no primary there", "move the floating IP to the primary (pgflip flip assign, or pgflip"
                    + " watch on the primary does it within its reconcile period)")
                    : CheckResult.ok(CHECK, "pgflip rejoin reaches the primary through the floating IP at " + where);
        } catch (SQLException | PgflipException e) {
            return CheckResult.fail(CHECK, "pgflip rejoin could not reach the primary through the floating IP at "
                    + where + ": " + CheckResult.firstLine(e.getMessage()), "allow this node in the primary's"
                    + " pg_hba.conf and firewall for port " + db.port() + " on the floating IP, and give " + db.user()
                    + " a pgpass line for host " + flip + " (or node.database.password_file)");
        }
    }
}
