package dev.pgflip.agent.rejoin;

/** A connection to the node the floating IP leads to: what it is, and the CHECKPOINT pg_rewind needs there. */
public interface SourceConnection extends AutoCloseable {

    /** What the node answers about itself. */
    RejoinSource describe();

    /** pg_rewind reads the source's control file, which lags after a promotion until a checkpoint. */
    void checkpoint();

    @Override
    void close();
}
