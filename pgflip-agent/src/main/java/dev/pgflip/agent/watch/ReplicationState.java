package dev.pgflip.agent.watch;

import java.util.List;

/**
 * What the local node says of its synchronous replication: whether it is in recovery, the setting in force, its WAL
 * insert position and timeline (0 in recovery), and the walsenders streaming now (standbys, but also pg_receivewal, pg_basebackup -X stream or a
 * logical consumer: only those the setting names can acknowledge a commit).
 */
public record ReplicationState(boolean inRecovery, String synchronousStandbyNames, List<Walsender> streaming,
                               long currentLsn, long timeline) {
    public ReplicationState {
        streaming = List.copyOf(streaming);
    }

    /** A walsender in state 'streaming': its application_name and how far the receiver has flushed. */
    public record Walsender(String name, long flushLsn) {}
}
