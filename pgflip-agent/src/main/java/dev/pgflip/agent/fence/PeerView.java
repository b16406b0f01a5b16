package dev.pgflip.agent.fence;

import java.time.Duration;
import java.util.List;

/** What this node currently knows about reaching its peers. */
public interface PeerView extends AutoCloseable {
    List<Peer> peers();

    /** How long no peer at all has answered. */
    Duration isolatedFor();

    boolean recentlyReached(Peer peer, Duration within);

    @Override
    default void close() {}
}
