package dev.pgflip.agent.fence;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/** Peers asked over something cheaper than a connect; an answer proves a path, no answer proves nothing. */
public interface PeerAnswers extends AutoCloseable {
    /** Nothing asked: every peer is probed with a TCP connect. */
    PeerAnswers NONE = (peers, wait) -> Set.of();

    /** The peers among {@code peers} that answered within {@code wait}. */
    Set<Peer> answeredWithin(List<Peer> peers, Duration wait);

    @Override
    default void close() {}
}
