package dev.pgflip.jdbc;

import java.sql.SQLException;

/**
 * The connection failed while COMMIT was in flight: the transaction may or may not have been committed, and pgflip
 * does not know which. It is never retried, since repeating a commit that landed would apply the work twice. The
 * SQLState is 08007 ("transaction resolution unknown"); the cause is the connection failure.
 */
public final class AmbiguousCommitException extends SQLException {
    public static final String SQL_STATE = "08007";

    public AmbiguousCommitException(String host, SQLException cause) {
        super("pgflip: the connection to " + host + " failed during COMMIT; the transaction may or may not have been"
                + " committed (not retried): check for its effects before repeating it", SQL_STATE, cause);
    }
}
