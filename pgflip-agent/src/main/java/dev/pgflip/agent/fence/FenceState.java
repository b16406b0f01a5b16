package dev.pgflip.agent.fence;

import java.util.Optional;

/**
 * Whether this node refuses writes on pgflip's order, and why. {@code ISOLATED} is lifted by the watcher once the
 * cluster is whole again with this node still its only primary; {@code OUTRANKED} (another node is primary on a
 * newer timeline) stays until {@code pgflip rejoin} turns the node into a standby.
 */
public record FenceState(Kind kind, String reason) {
    public enum Kind { ISOLATED, OUTRANKED }

    /** The fence as kept in its record ({@code outranked: …} or {@code isolated: …}). */
    public static Optional<FenceState> parse(String value) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        Kind kind = value.startsWith("outranked") ? Kind.OUTRANKED : Kind.ISOLATED;
        return Optional.of(new FenceState(kind, value));
    }

    public static FenceState isolated(long millis) {
        return new FenceState(Kind.ISOLATED, "isolated: no peer answered for " + millis + "ms");
    }

    public static FenceState outranked(String peer, long timeline) {
        return new FenceState(Kind.OUTRANKED, "outranked: " + peer + " is primary on timeline " + timeline
                + "; run pgflip rejoin on this node");
    }
}
