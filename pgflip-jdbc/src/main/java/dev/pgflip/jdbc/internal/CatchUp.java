package dev.pgflip.jdbc.internal;

/**
 * Whether a reader holds a session's last commit, from where the commit was made (an LSN on a timeline) and where the
 * reader is. It does only if it replayed that far on that timeline, or on a later one that was forked off the commit's
 * timeline at or after the commit (its history says where). A reader on an older timeline may still follow the
 * promotion and get there; one on a timeline forked before the commit never will: the commit is on the old primary's
 * lost branch, not in its WAL, whatever its LSN.
 */
public final class CatchUp {

    public enum Verdict {
        /** It has replayed the commit: read there. */
        CAUGHT_UP,
        /** Not yet, but it may: wait (bounded) and ask again. */
        NOT_YET,
        /** It does not have the commit and will not, or that cannot be shown: read elsewhere. */
        NEVER
    }

    private CatchUp() {
    }

    /** Whether {@link #verdict} needs the reader's timeline history: the reader is on a later timeline. */
    public static boolean needsHistory(WalPosition commit, WalPosition reader) {
        return known(commit.timeline()) && known(reader.timeline()) && reader.timeline() > commit.timeline();
    }

    /**
     * @param history the history of the reader's timeline, when {@link #needsHistory}; null if it was not or could not
     *     be read (then a later timeline is not shown to hold the commit)
     */
    public static Verdict verdict(WalPosition commit, WalPosition reader, TimelineHistory history) {
        if (reader == null || reader.lsn() == null) {
            return Verdict.NOT_YET;
        }
        if (!known(commit.timeline())) {
            // A token from before tokens carried the timeline: the LSN alone decides, as it did then.
            return replayedTo(commit, reader);
        }
        if (!known(reader.timeline())) {
            // Cannot be shown either way, and polling will not tell: the writer answers instead.
            return Verdict.NEVER;
        }
        if (reader.timeline() < commit.timeline()) {
            return Verdict.NOT_YET;
        }
        if (reader.timeline() > commit.timeline()) {
            var switchPoint = history == null || history.timeline() != reader.timeline() ? null
                    : history.switchPoint(commit.timeline());
            if (switchPoint == null || switchPoint.compareTo(commit.lsn()) < 0) {
                return Verdict.NEVER;
            }
        }
        return replayedTo(commit, reader);
    }

    private static Verdict replayedTo(WalPosition commit, WalPosition reader) {
        return reader.lsn().compareTo(commit.lsn()) >= 0 ? Verdict.CAUGHT_UP : Verdict.NOT_YET;
    }

    private static boolean known(long timeline) {
        return timeline != ProbeResult.UNKNOWN_TIMELINE;
    }
}
