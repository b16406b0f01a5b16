package dev.pgflip.agent.fence;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Whether the primary's node (the peer repmgr lists as primary) has answered none of this node's fencing probes for
 * one and a half probe periods: a probe round starts every period and a node that works answers in milliseconds, so
 * the round after its last answer has then had time to end. A link down, a partition or a host gone shows here a
 * quarter to a half second after it began (probe period 250 ms), where repmgrd, looping every monitor_interval_secs,
 * may not look for up to a second. A primary never reached counts as silent (a wake-up waits until one was heard);
 * none listed, nothing is silent.
 */
public final class PrimarySilence implements BooleanSupplier {
    private final PeerView peers;
    private final Duration window;

    public PrimarySilence(PeerView peers, Duration probeInterval) {
        this.peers = peers;
        this.window = probeInterval.plus(probeInterval.dividedBy(2));
    }

    @Override
    public boolean getAsBoolean() {
        return peers.peers().stream().filter(p -> "primary".equals(p.type()))
                .anyMatch(p -> !peers.recentlyReached(p, window));
    }
}
