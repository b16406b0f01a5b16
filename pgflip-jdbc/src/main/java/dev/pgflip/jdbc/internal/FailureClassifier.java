package dev.pgflip.jdbc.internal;

import dev.pgflip.common.StaggeredConnect;
import java.io.IOException;
import java.sql.SQLException;

/**
 * The one place that decides what a failure means: the connection or server is gone, the server is read-only, or the
 * error belongs to the caller's SQL. Retry, eviction and the ambiguous-commit rule all ask here.
 */
public final class FailureClassifier {

    public enum Failure {
        /** The session is gone (SQLState class 08 or an I/O error): the host may be dead or unreachable. */
        CONNECTION_LOST,
        /** The server ended or refused sessions (57P01, 57P02, 57P03). */
        SERVER_SHUTDOWN,
        /** A write reached a server in recovery (25006): the write endpoint no longer leads to the primary. */
        READ_ONLY,
        /** The data source was closed: no host is at fault and nothing will answer a retry. */
        CLOSED,
        /** Anything else: the caller's SQL, constraints, serialization conflicts. Not pgflip's to handle. */
        OTHER
    }

    private FailureClassifier() {
    }

    public static Failure classify(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof DataSourceClosedException) {
                // Before the SQLState: its 08003 would read as a lost connection, retried until the deadline.
                return Failure.CLOSED;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                // The first SQLState in the chain decides: a definite server error (23505, 40001, ...) is the
                // caller's even when an I/O error is chained further down.
                return bySqlState(sql.getSQLState());
            }
            if (t instanceof IOException) {
                return Failure.CONNECTION_LOST;
            }
        }
        return Failure.OTHER;
    }

    static Failure bySqlState(String state) {
        if (state.startsWith(SqlStates.CONNECTION_EXCEPTION_CLASS)) {
            return Failure.CONNECTION_LOST;
        }
        return switch (state) {
            case SqlStates.ADMIN_SHUTDOWN, SqlStates.CRASH_SHUTDOWN, SqlStates.CANNOT_CONNECT_NOW -> Failure.SERVER_SHUTDOWN;
            case SqlStates.READ_ONLY_SQL_TRANSACTION -> Failure.READ_ONLY;
            default -> Failure.OTHER;
        };
    }

    /**
     * Whether the server (or its host's kernel) said no, rather than not answering: a refused TCP connection (nothing
     * listens on the port: the server is down) or a shutdown SQLState (57P01, 57P02, 57P03). Unlike a timeout this
     * leaves no doubt about a server that is merely busy, so a monitor may count it as DOWN at once.
     */
    public static boolean refused(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (StaggeredConnect.refusal(t)) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && bySqlState(sql.getSQLState()) == Failure.SERVER_SHUTDOWN) {
                return true;
            }
        }
        return false;
    }

    /** Whether the pool's idle connections should be dropped at once: they are likely as dead as this one. */
    public static boolean evictsPool(Failure f) {
        return f != Failure.OTHER && f != Failure.CLOSED;
    }

    /** Whether a unit of work that failed this way before COMMIT may run again on a fresh connection. */
    public static boolean retriableBeforeCommit(Failure f) {
        return f != Failure.OTHER && f != Failure.CLOSED;
    }

    /** Whether a failure of COMMIT itself leaves the outcome unknown (the server may have committed). */
    public static boolean ambiguousDuringCommit(Failure f) {
        return f == Failure.CONNECTION_LOST || f == Failure.SERVER_SHUTDOWN;
    }
}
