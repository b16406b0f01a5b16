package dev.pgflip.jdbc.internal;

import java.util.Map;
import java.util.TreeMap;
import org.postgresql.replication.LogSequenceNumber;

/**
 * A timeline's history file ({@code pg_wal/0000000N.history}): for each ancestor timeline, the LSN at which it was
 * left for the next one (the switch point). WAL below a timeline's switch point is shared by every timeline forked
 * from it after that point; WAL at or above it is not. A file line reads {@code 2\t0/5000060\tno recovery target
 * specified}.
 */
public final class TimelineHistory {
    private final long timeline;
    private final Map<Long, LogSequenceNumber> switchPoints;

    private TimelineHistory(long timeline, Map<Long, LogSequenceNumber> switchPoints) {
        this.timeline = timeline;
        this.switchPoints = switchPoints;
    }

    /** The file name of {@code timeline}'s history, relative to the data directory. */
    public static String fileName(long timeline) {
        return String.format("pg_wal/%08X.history", timeline);
    }

    /** Parses the contents of {@code timeline}'s history file; comment and blank lines are skipped. */
    public static TimelineHistory parse(long timeline, String contents) {
        Map<Long, LogSequenceNumber> points = new TreeMap<>();
        for (String line : contents.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            String[] fields = trimmed.split("\\s+");
            LogSequenceNumber point = fields.length < 2 ? LogSequenceNumber.INVALID_LSN
                    : LogSequenceNumber.valueOf(fields[1]);
            if (point.equals(LogSequenceNumber.INVALID_LSN) || !fields[0].matches("[0-9]{1,10}")) {
                throw new IllegalArgumentException("timeline history " + fileName(timeline) + " has a line '" + trimmed
                        + "': expected a parent timeline and its switch point, e.g. 2\\t0/5000060");
            }
            points.put(Long.parseLong(fields[0]), point);
        }
        return new TimelineHistory(timeline, points);
    }

    /** The timeline this is the history of. */
    public long timeline() {
        return timeline;
    }

    /**
     * Where {@code ancestor} was left on the way to this timeline, or null if it is no ancestor of it (another branch,
     * or this timeline itself).
     */
    public LogSequenceNumber switchPoint(long ancestor) {
        return switchPoints.get(ancestor);
    }
}
