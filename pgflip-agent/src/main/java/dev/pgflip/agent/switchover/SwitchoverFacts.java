package dev.pgflip.agent.switchover;

import dev.pgflip.agent.db.RepmgrNode;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What a switchover finds before it changes anything, read on this node (which must be the primary) and on the
 * target.
 *
 * @param localNode this node's name
 * @param localIsPrimary whether this node answers as a primary (not in recovery)
 * @param localRecord this node's repmgr record
 * @param target the target's repmgr record, empty when no node has that name
 * @param targetInRecovery whether the target answers as a standby; empty when it cannot be reached
 * @param streamingState the target's walsender state on this node ({@code streaming}, ...), empty when none
 * @param replayLagBytes how far the target's replay is behind this node's current WAL position
 * @param witness what the active witness answers about the target; empty when no witness is registered
 * @param targetFenced whether the target has a fence record (read on the target, through its promote hook's file)
 */
record SwitchoverFacts(String localNode, boolean localIsPrimary, Optional<RepmgrNode> localRecord,
                       Optional<RepmgrNode> target, Optional<Boolean> targetInRecovery, Optional<String> streamingState,
                       OptionalLong replayLagBytes, Optional<WitnessAnswer> witness, boolean targetFenced) {

    /** The witness's answer: none, or whether it still lets the target's promotion be claimed. */
    enum WitnessAnswer {
        SILENT,
        TARGET_ELIGIBLE,
        /** the primary marked it ineligible (it acknowledged commits the target may lack): the claim would be refused */
        TARGET_INELIGIBLE
    }
}
