package dev.pgflip.agent.watch;

import java.util.List;

/**
 * What the local node says of its synchronous replication: whether it is in recovery, the setting in force, and the
 * application_names of the walsenders streaming now (standbys, but also pg_receivewal, pg_basebackup -X stream or a
 * logical consumer: only those the setting names can acknowledge a commit).
 */
public record ReplicationState(boolean inRecovery, String synchronousStandbyNames, List<String> streaming) {
    public ReplicationState {
        streaming = List.copyOf(streaming);
    }
}
