package dev.pgflip.agent.node;

import dev.pgflip.agent.node.FenceState;
import dev.pgflip.agent.node.NodeRole;
import java.util.Optional;

/**
 * What {@code pgflip watch} tells an observer (its metrics) about the state it reconciles. Every method is a no-op by
 * default and must return at once without throwing: the watch works the same with no observer ({@link #NONE}).
 * Called from the watcher's, the keeper's and the fence's threads.
 */
public interface WatchRecorder {
    WatchRecorder NONE = new WatchRecorder() {};

    /** The local role, at every look of the watcher (so also: the watch loop is alive). */
    default void roleSeen(NodeRole role) {}

    /** This node turned from standby into primary. */
    default void promoted() {}

    /** How a primary's reconcile of the floating IP ended. */
    default void flipChecked(FlipCheck check) {}

    /** The fence as last read or changed: its kind, empty when the node is not fenced. */
    default void fenceSeen(Optional<FenceState.Kind> fence) {}

    /** The synchronous replication in force on this node, as last read or set. */
    default void syncSeen(SyncState state) {}

    /** This node was promoted although the witness held it ineligible: commits acknowledged alone may be lost. */
    default void possibleDataLoss() {}

    /**
     * A standby's repmgrd as last read (every second): whether it runs, and the seconds since it last found its
     * upstream answering, -1 when it has not looked since PostgreSQL started.
     */
    default void standbyRepmgrdSeen(boolean running, int upstreamLastSeenSeconds) {}

    /** Not a standby at the last read, or the read failed: no repmgrd state to report. */
    default void repmgrdNotJudged() {}

    /** On a standby, a repmgrd connection stuck on an unanswered request was ended ({@code true}) or could not be. */
    default void repmgrdUnblocked(boolean ended) {}

    /** On a standby that lost its primary, its repmgrd was sent SIGHUP ({@code true}) or could not be. */
    default void repmgrdWoken(boolean sent) {}
}
