package dev.pgflip.agent.rejoin;

import dev.pgflip.agent.ExitCode;

/**
 * Whether rewinding this node onto the source is safe: only onto a primary on a strictly newer timeline than this
 * node's. pg_rewind makes the target like the source and throws away whatever the target wrote after their
 * histories split, so the node with the newer timeline (the later promotion, the one clients have been writing to)
 * must be the source, never the target. The floating IP alone does not say which that is: it may still lead to an old
 * primary that came back, or the operator may be on the wrong node.
 *
 * <pre>{@code
 * RejoinVerdict v = RejoinSafety.check("n1", 1, new RejoinSource("198.18.0.100", "n2", conninfo, false, 2));
 * // Follow: n2 is primary on timeline 2, n1 is on timeline 1
 * }</pre>
 */
public final class RejoinSafety {
    private RejoinSafety() {}

    /** The decision, and the words for it. */
    public sealed interface RejoinVerdict {
        /** Whether {@code repmgr node rejoin} may run. */
        default boolean safe() {
            return this instanceof Follow;
        }

        /** The exit code of a refusal. */
        ExitCode exitCode();

        /** One line for the operator: what was found, and for a refusal what to do. */
        String message();
    }

    /** The source is a primary on a newer timeline: rewind onto it. */
    public record Follow(String localNode, long localTimeline, RejoinSource source) implements RejoinVerdict {
        @Override
        public ExitCode exitCode() {
            return ExitCode.OK;
        }

        @Override
        public String message() {
            return "source " + source.describe() + " is primary on timeline " + source.timeline() + ", local "
                    + localNode + " is on timeline " + localTimeline + ": rewinding " + localNode + " onto it";
        }
    }

    /** The floating IP leads to a standby: there is no primary to follow through it. */
    public record SourceIsStandby(String localNode, long localTimeline, RejoinSource source) implements RejoinVerdict {
        @Override
        public ExitCode exitCode() {
            return ExitCode.FLIP_FAILED;
        }

        @Override
        public String message() {
            return "the floating IP " + source.via() + " leads to a standby (" + source.name() + ", in recovery), not"
                    + " a primary: move it to the current primary first (pgflip flip assign DROPLET_ID --wait), then"
                    + " run pgflip rejoin again; local " + localNode + " is on timeline " + localTimeline
                    + "; nothing was changed";
        }
    }

    /** The source is primary on an older timeline: this node is the newer one. */
    public record SourceIsOlder(String localNode, long localTimeline, RejoinSource source) implements RejoinVerdict {
        @Override
        public ExitCode exitCode() {
            return ExitCode.USAGE;
        }

        @Override
        public String message() {
            return "source " + source.describe() + " is primary on timeline " + source.timeline() + ", local "
                    + localNode + " is on timeline " + localTimeline + ": the source is older; this would rewind the"
                    + " newer node and lose its writes. Check which node is the real primary (repmgr cluster show),"
                    + " move the floating IP to it, and run pgflip rejoin on the other one; nothing was changed";
        }
    }

    /**
     * The source is primary on this node's own timeline: no promotion happened after this node's last one, so there
     * is nothing newer to rewind onto (a stopped standby needs no rejoin; two primaries on one timeline is a split
     * brain, which a person must settle).
     */
    public record SourceOnSameTimeline(String localNode, long localTimeline, RejoinSource source)
            implements RejoinVerdict {
        @Override
        public ExitCode exitCode() {
            return ExitCode.USAGE;
        }

        @Override
        public String message() {
            return "source " + source.describe() + " is primary on timeline " + source.timeline() + " and local "
                    + localNode + " is on timeline " + localTimeline + " too: the source is not newer, so rewinding"
                    + " onto it could throw away writes of " + localNode + ". Check which node is the real primary"
                    + " (repmgr cluster show); a stopped standby needs no rejoin (start it); nothing was changed";
        }
    }

    /**
     * The source is a primary on a newer timeline, but repmgr's records on it do not say so: its promotion was cut
     * short before {@code repmgr standby promote} recorded it (seen in the stale-restart drill: the new primary killed
     * 0.7 s after its promotion). {@code repmgr node rejoin} refuses such a source ("not registered as primary"); the
     * records are fixed on the source first.
     */
    public record SourceNotRegisteredAsPrimary(String localNode, long localTimeline, RejoinSource source)
            implements RejoinVerdict {
        @Override
        public ExitCode exitCode() {
            return ExitCode.USAGE;
        }

        @Override
        public String message() {
            return "source " + source.describe() + " is primary on timeline " + source.timeline() + " (local "
                    + localNode + " is on timeline " + localTimeline + "), but repmgr.nodes there does not record it"
                    + " as the primary (its promotion was cut short before repmgr recorded it): on " + source.name()
                    + ", as postgres, run 'repmgr -f /etc/repmgr.conf primary register --force', then pgflip rejoin"
                    + " again; nothing was changed";
        }
    }

    /** @param localTimeline this node's timeline, from its control file (it is stopped) */
    public static RejoinVerdict check(String localNode, long localTimeline, RejoinSource source) {
        if (source.inRecovery()) {
            return new SourceIsStandby(localNode, localTimeline, source);
        }
        if (source.timeline() < localTimeline) {
            return new SourceIsOlder(localNode, localTimeline, source);
        }
        if (source.timeline() == localTimeline) {
            return new SourceOnSameTimeline(localNode, localTimeline, source);
        }
        if (!source.registeredAsPrimary()) {
            return new SourceNotRegisteredAsPrimary(localNode, localTimeline, source);
        }
        return new Follow(localNode, localTimeline, source);
    }
}
