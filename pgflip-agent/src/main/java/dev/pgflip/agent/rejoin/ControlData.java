package dev.pgflip.agent.rejoin;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code pg_controldata} (run with {@code LC_ALL=C}) says about a stopped node's timeline.
 *
 * <p>Why two timelines: a promotion writes its end-of-recovery record on the new timeline and puts that timeline in
 * {@code minRecoveryPointTLI} at once, but "Latest checkpoint's TimeLineID" changes only when the checkpoint that
 * follows the promotion ends, and that one is spread over minutes. A node killed in between (seen on PostgreSQL 15:
 * promoted to timeline 2, killed 1 s later, the checkpoint line still said 1) would pass for older than it is.
 * PostgreSQL itself starts recovery on the greater of the two (xlogrecovery.c, InitWalRecovery), and so do we.
 *
 * @param clusterState "shut down", "in production" (also after a crash), "in archive recovery", ...
 * @param checkpointTimeline "Latest checkpoint's TimeLineID"
 * @param minRecoveryTimeline "Min recovery ending loc's timeline", 0 when none is pending
 */
public record ControlData(String clusterState, long checkpointTimeline, long minRecoveryTimeline) {

    /** The timeline this node's WAL is on: the one it would come up on. */
    public long timeline() {
        return Math.max(checkpointTimeline, minRecoveryTimeline);
    }

    /** Parses pg_controldata's output; empty when a timeline line is missing or not a number. */
    public static Optional<ControlData> parse(String output) {
        Map<String, String> fields = new HashMap<>();
        for (String line : output.split("\\R")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                fields.put(line.substring(0, colon).strip(), line.substring(colon + 1).strip());
            }
        }
        Optional<Long> checkpoint = number(fields.get("Latest checkpoint's TimeLineID"));
        Optional<Long> minRecovery = number(fields.get("Min recovery ending loc's timeline"));
        if (checkpoint.isEmpty() || minRecovery.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new ControlData(fields.getOrDefault("Database cluster state", "unknown"), checkpoint.get(),
                minRecovery.get()));
    }

    private static Optional<Long> number(String text) {
        return text != null && text.matches("\\d{1,10}") ? Optional.of(Long.parseLong(text)) : Optional.empty();
    }
}
