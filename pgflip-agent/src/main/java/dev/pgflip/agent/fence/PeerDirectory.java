package dev.pgflip.agent.fence;

import java.util.List;
import java.util.function.Supplier;

/**
 * Who the other nodes are: {@link #get()} may answer from a list read a few seconds ago (the reachability probe asks
 * every period), {@link #readNow()} reads it again, for a decision that stops writes and must not rest on a topology a
 * promotion or a rejoin has just changed.
 */
public interface PeerDirectory extends Supplier<List<Peer>> {
    /** The list read again now; the last one known if it cannot be read. */
    List<Peer> readNow();
}
