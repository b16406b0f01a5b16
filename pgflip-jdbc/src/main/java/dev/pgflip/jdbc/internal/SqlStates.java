package dev.pgflip.jdbc.internal;

/** The SQLStates pgflip acts on (PostgreSQL Appendix A), named. */
public final class SqlStates {
    /** Class 08: connection exception (08000, 08001 cannot connect, 08003, 08006 failure, 08P01, ...). */
    public static final String CONNECTION_EXCEPTION_CLASS = "08";
    /** 08003 connection_does_not_exist: also what a borrow from a closed data source fails with. */
    public static final String CONNECTION_DOES_NOT_EXIST = "08003";
    /** 57P01 admin_shutdown: the server is shutting down (fast shutdown, or promoted/demoted by a tool). */
    public static final String ADMIN_SHUTDOWN = "57P01";
    /** 57P02 crash_shutdown: another backend crashed and the postmaster reset every session. */
    public static final String CRASH_SHUTDOWN = "57P02";
    /** 57P03 cannot_connect_now: starting up, shutting down or in recovery without hot standby. */
    public static final String CANNOT_CONNECT_NOW = "57P03";
    /** 25006 read_only_sql_transaction: a write reached a standby, e.g. through a FLIP still on a demoted node. */
    public static final String READ_ONLY_SQL_TRANSACTION = "25006";

    /** 42501 insufficient_privilege: e.g. EXECUTE on pg_control_system() revoked from the user. */
    public static final String INSUFFICIENT_PRIVILEGE = "42501";
    /** 57014 query_canceled: a statement_timeout, or pg_cancel_backend(). */
    public static final String QUERY_CANCELED = "57014";

    private SqlStates() {
    }
}
