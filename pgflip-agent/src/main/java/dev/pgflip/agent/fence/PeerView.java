package dev.pgflip.agent.fence;

import java.time.Duration;
import java.util.List;

/** What this node currently knows about reaching its peers. */
public interface PeerView extends AutoCloseable {
    /** The peers as last listed (the list may be a few seconds old). */
    List<Peer> peers();

    /** The peers listed again now: for a decision that stops writes, after a promotion or rejoin may have changed them. */
    List<Peer> peersNow();

    /** How long no peer at all has answered. */
    Duration isolatedFor();

    boolean recentlyReached(Peer peer, Duration within);

    @Override
    default void close() {}
}
