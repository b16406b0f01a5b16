package dev.pgflip.agent.watch;

import java.util.Optional;

/**
 * Decides whether this primary may take the floating IP: not while another node is primary on a timeline at least
 * as new as ours. A node that comes back from a partition still believing it is primary (repmgr does not fence)
 * is on an older timeline than the standby promoted in its absence, and must not pull the IP back.
 */
public interface PrimaryGuard {
    PrimaryGuard NONE = () -> Optional.empty();

    /** Another primary that outranks this node, if any. */
    Optional<PeerPrimary> outrankingPrimary();
}
