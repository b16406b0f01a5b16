package dev.pgflip.agent.fence;

import java.time.Duration;
import java.util.function.Predicate;

/**
 * Whether the node at a host (the one this standby streams from) has answered none of this node's fencing probes for
 * one and a half probe periods: a probe round starts every period and a node that works answers in milliseconds, so
 * the round after its last answer has then had time to end. A link down, a partition or a host gone shows here a
 * quarter to a half second after it began (probe period 250 ms), where repmgrd, looping every monitor_interval_secs,
 * may not look for up to a second. The node is found by the host the walreceiver streams from, not by the type
 * repmgr.nodes gives it: the peer list is read again only every 10 s, and a standby rejoined a moment ago still listed
 * its new upstream as a standby (link-down drill, 2026-12-08: woken only when the stream ended, 1.4 s after the fault).
 * A node never reached counts as silent (a wake-up waits until one was heard); a host no peer has, as not silent.
 */
public final class UpstreamSilence implements Predicate<String> {
    private final PeerView peers;
    private final Duration window;

    public UpstreamSilence(PeerView peers, Duration probeInterval) {
        this.peers = peers;
        this.window = probeInterval.plus(probeInterval.dividedBy(2));
    }

    /** @param host the walreceiver's {@code sender_host}, as primary_conninfo names it */
    @Override
    public boolean test(String host) {
        return peers.peers().stream().filter(p -> p.host().equals(host))
                .anyMatch(p -> !peers.recentlyReached(p, window));
    }
}
