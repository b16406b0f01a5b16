package dev.pgflip.agent.node;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * Whether this node refuses writes on pgflip's order, why, and on which timeline it was fenced. {@code ISOLATED} is
 * lifted by the watcher once the cluster is whole again with this node still its only primary; {@code OUTRANKED}
 * (another node is primary on a newer timeline) stays until {@code pgflip rejoin} turns the node into a standby.
 * The timeline ties the record to the node's history: a node rebuilt or promoted by other means since is on another
 * timeline, and the record no longer speaks of it (issue 13, hole 7).
 */
public record FenceState(Kind kind, String reason, OptionalLong timeline) {
    public enum Kind { ISOLATED, OUTRANKED }

    private static final String TIMELINE_PREFIX = "timeline=";

    /** The fence as kept in its record: the reason ({@code outranked: …} or {@code isolated: …}), then {@code timeline=N}. */
    public static Optional<FenceState> parse(String value) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        String[] lines = value.strip().split("\n");
        String reason = lines[0].strip();
        OptionalLong timeline = OptionalLong.empty();
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.startsWith(TIMELINE_PREFIX)) {
                try {
                    timeline = OptionalLong.of(Long.parseLong(line.substring(TIMELINE_PREFIX.length())));
                } catch (NumberFormatException e) {
                    // a damaged line: the fence stands, untied to a timeline (the safe reading)
                }
            }
        }
        Kind kind = reason.startsWith("outranked") ? Kind.OUTRANKED : Kind.ISOLATED;
        return Optional.of(new FenceState(kind, reason, timeline));
    }

    /** The record's text. */
    public String render() {
        return reason + "\n" + (timeline.isPresent() ? TIMELINE_PREFIX + timeline.getAsLong() + "\n" : "");
    }

    public FenceState on(long timeline) {
        return new FenceState(kind, reason, OptionalLong.of(timeline));
    }

    /**
     * Whether the record was written on an older timeline than the node's: rebuilt from a newer primary or promoted
     * since. Only newer counts: a node in recovery reports its last checkpoint's timeline, which may still be the one
     * before a promotion that no checkpoint has followed yet, and that must not read as a rebuild.
     */
    public boolean staleFor(long currentTimeline) {
        return timeline.isPresent() && currentTimeline > timeline.getAsLong();
    }

    public static FenceState isolated(long millis) {
        return new FenceState(Kind.ISOLATED, "isolated: no peer answered for " + millis + "ms", OptionalLong.empty());
    }

    /** Put up by {@code pgflip start-guard}: the node starts in recovery until the watch can show it is the only primary. */
    public static FenceState isolatedAtStart(String why) {
        return new FenceState(Kind.ISOLATED, "isolated at start: " + why, OptionalLong.empty());
    }

    /**
     * Another node's promotion is claimed on the witness but not recorded: the node stops writes as for an outranking,
     * but the claim may still be withdrawn (its {@code repmgr standby promote} refused, having found this node
     * writable again), so the fence is of the kind lifted once every data peer streams from this node; it becomes
     * {@code OUTRANKED} once that promotion is seen done.
     */
    public static FenceState promotionClaimed(String who) {
        return new FenceState(Kind.ISOLATED, "isolated: the promotion of " + who + " is claimed on the witness; lifted"
                + " if it is withdrawn and every data peer streams from this node again", OptionalLong.empty());
    }

    public static FenceState outranked(String peer, String timelineText) {
        return new FenceState(Kind.OUTRANKED, "outranked: " + peer + " is primary on " + timelineText
                + "; run pgflip rejoin on this node", OptionalLong.empty());
    }
}
