package dev.pgflip.agent.node;

/** Whether this node's commits wait for a standby: the {@code synchronous_standby_names} in force. */
public enum SyncState {
    /** A primary with synchronous_standby_names set: commits wait for a named standby. */
    SYNC,
    /** A primary with synchronous_standby_names empty (degraded): commits are acknowledged on this node alone. */
    ASYNC,
    /** Not a primary (in recovery), or not known yet. */
    NONE;

    /** A primary's state once {@code names} is in force. */
    public static SyncState of(String synchronousStandbyNames) {
        return synchronousStandbyNames.isBlank() ? ASYNC : SYNC;
    }
}
