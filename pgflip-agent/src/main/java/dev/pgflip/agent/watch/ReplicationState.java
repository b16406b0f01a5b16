package dev.pgflip.agent.watch;

/** What the primary says of its synchronous replication: the setting in force and the standbys streaming now. */
public record ReplicationState(String synchronousStandbyNames, int streamingStandbys) {}
