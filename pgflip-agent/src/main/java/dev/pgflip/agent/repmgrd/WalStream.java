package dev.pgflip.agent.repmgrd;

/** Whether this node receives WAL from an upstream, as {@code pg_stat_wal_receiver} shows it. */
public enum WalStream {
    /** A standby whose walreceiver streams. */
    STREAMING,
    /** A standby without a streaming walreceiver: none runs, or one is starting, waiting or stopping. */
    NOT_STREAMING,
    /** Not in recovery: a primary has no upstream to lose. */
    NOT_A_STANDBY
}
