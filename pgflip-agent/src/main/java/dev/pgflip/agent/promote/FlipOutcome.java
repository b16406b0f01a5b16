package dev.pgflip.agent.promote;

import dev.pgflip.agent.provider.AssignResult;

/**
 * What became of the floating IP in one {@code pgflip promote}: moved and verified, or deferred because the node is
 * primary already and the move could not be made now (the hook still exits 0, see {@link FlipDeferral}).
 */
public sealed interface FlipOutcome permits FlipOutcome.Assigned, FlipDeferral {

    /** The IP is verified on this node. */
    record Assigned(AssignResult result) implements FlipOutcome {}
}
