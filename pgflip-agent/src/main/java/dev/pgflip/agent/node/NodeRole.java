package dev.pgflip.agent.node;

/** What the local PostgreSQL answered to {@code SELECT pg_is_in_recovery()}. */
public enum NodeRole {
    PRIMARY,
    STANDBY,
    /** No answer (down, starting, refusing connections, timed out). */
    UNREACHABLE
}
