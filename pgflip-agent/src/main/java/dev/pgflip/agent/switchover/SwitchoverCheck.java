package dev.pgflip.agent.switchover;

import dev.pgflip.agent.db.RepmgrNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Whether a switchover to the target may start: every reason it may not, each naming what to do. Run before anything
 * is changed, so a refusal leaves the cluster as it was.
 */
final class SwitchoverCheck {
    private SwitchoverCheck() {}

    static List<String> problems(SwitchoverFacts f, String targetName, long maxLagBytes) {
        List<String> problems = new ArrayList<>();
        if (!f.localIsPrimary()) {
            problems.add("this node (" + f.localNode() + ") is not the primary: run pgflip switchover on the current"
                    + " primary (pgflip status shows it); it stops and restarts that node's PostgreSQL");
        }
        if (targetName.equals(f.localNode())) {
            problems.add(targetName + " is this node: name the standby to promote");
            return problems;
        }
        if (f.target().isEmpty()) {
            problems.add("no node named " + targetName + " in repmgr.nodes: expected the name of a standby"
                    + " (repmgr cluster show)");
            return problems;
        }
        RepmgrNode target = f.target().get();
        if (target.type() != RepmgrNode.Type.STANDBY || !target.active()) {
            problems.add(targetName + " is " + (target.active() ? "" : "an inactive ") + target.type().label()
                    + " in repmgr.nodes: only an active standby can be promoted");
        } else if (f.localRecord().isPresent() && !target.streamsFrom(f.localRecord().get())) {
            problems.add(targetName + " does not follow " + f.localNode() + " in repmgr.nodes: it would not have"
                    + " every commit; repmgr standby follow it first");
        }
        if (f.targetInRecovery().isEmpty()) {
            problems.add(targetName + " does not answer (" + target.conninfo().host().orElse("?") + "): a switchover"
                    + " needs it up");
        } else if (!f.targetInRecovery().get()) {
            problems.add(targetName + " answers as a primary, not a standby: look at the cluster (pgflip status)"
                    + " before anything else");
        }
        if (f.targetFenced()) {
            problems.add(targetName + " has a fence record: its promote hook would refuse; see pgflip rejoin");
        }
        if (f.streamingState().isEmpty()) {
            problems.add(targetName + " does not stream from " + f.localNode() + " (no walsender for it in"
                    + " pg_stat_replication)");
        } else if (!f.streamingState().get().equals("streaming")) {
            problems.add(targetName + "'s walsender on " + f.localNode() + " is '" + f.streamingState().get()
                    + "', not 'streaming': wait until it has caught up");
        }
        if (f.replayLagBytes().isPresent() && f.replayLagBytes().getAsLong() > maxLagBytes) {
            problems.add(targetName + " replays " + f.replayLagBytes().getAsLong() + " bytes behind "
                    + f.localNode() + " (at most " + maxLagBytes + " allowed, --max-lag): wait until it catches up");
        }
        if (f.witness().equals(Optional.of(SwitchoverFacts.WitnessAnswer.SILENT))) {
            problems.add("the witness does not answer: the target's promotion is claimed there, and would be refused");
        } else if (f.witness().equals(Optional.of(SwitchoverFacts.WitnessAnswer.TARGET_INELIGIBLE))) {
            problems.add(targetName + " is marked ineligible for promotion on the witness (the primary acknowledged"
                    + " commits it may lack while synchronous replication was degraded): wait until pgflip watch marks"
                    + " it eligible again, once it streams caught up");
        }
        return problems;
    }
}
