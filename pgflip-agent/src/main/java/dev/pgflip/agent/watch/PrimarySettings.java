package dev.pgflip.agent.watch;

/** Reads and changes the local primary's synchronous replication setting. */
public interface PrimarySettings extends AutoCloseable {
    ReplicationState read();

    /** {@code ALTER SYSTEM SET synchronous_standby_names} and a configuration reload. */
    void setSynchronousStandbyNames(String value);

    @Override
    default void close() {}
}
