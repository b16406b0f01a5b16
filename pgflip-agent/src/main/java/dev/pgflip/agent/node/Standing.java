package dev.pgflip.agent.node;

/**
 * Whether this primary may act as the cluster's only primary: take the floating IP back, degrade synchronous
 * replication (which lets commits be acknowledged on this node alone), lift an isolation fence. Decided by the
 * watch's {@code StandingDecision} from what the cluster answers, pure.
 *
 * <p>The model (issue 13: a partial partition made two writable nodes for 40 s): a data peer is <em>safely a
 * standby</em> while it streams from this node, since its repmgrd then sees this node and will not promote it, or
 * while the witness holds it ineligible for promotion ({@code PromotionClaims}: its promote hook cannot claim).
 * Every other active data peer (unreachable, refused, or in recovery but not streaming from here) is <em>possibly
 * primary</em>: repmgrd may be promoting it right now. One whose promotion is claimed on the witness is being
 * promoted. An inactive peer (an old primary replaced by a promotion, not rejoined) cannot hold a newer timeline
 * than ours and is left out.
 */
public sealed interface Standing {
    /** This node may act alone: no other node can be or become primary without it knowing. */
    record Sole(String how) implements Standing {}

    /** Another node is or is becoming the primary: its own answer, the witness's repmgr records, or its claim. */
    record Outranked(PeerPrimary by) implements Standing {}

    /** Neither proof nor disproof: withhold the IP and any degrade, wait (or let the isolation fence act). */
    record Unproven(String why) implements Standing {}

    default boolean isSole() {
        return this instanceof Sole;
    }
}
