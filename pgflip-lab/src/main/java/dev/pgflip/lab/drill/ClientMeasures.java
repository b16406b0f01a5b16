package dev.pgflip.lab.drill;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** What one client's recorded calls say about a failover; pure arithmetic on the op log. */
public final class ClientMeasures {
    public static final long BUCKET_MS = 100;

    private ClientMeasures() {}

    /** From the fault to the end of the first acknowledged write that the new primary served. */
    public static Long writeUnavailable(List<OpRecord> ops, long faultMs, String newPrimary) {
        return ops.stream()
                .filter(o -> o.kind() == OpRecord.Kind.WRITE && o.ok() && o.endMs() >= faultMs && newPrimary.equals(o.node()))
                .map(o -> o.endMs() - faultMs).min(Long::compare).orElse(null);
    }

    /**
     * The longest stretch after the fault with no successful read (until the last read recorded); a client whose
     * reads never stopped shows about its own pause between calls.
     */
    public static Long readUnavailable(List<OpRecord> ops, long faultMs) {
        return longestGap(ops, faultMs, OpRecord.Kind.READ);
    }

    /**
     * The longest stretch after the fault without a successful call of that kind. For a fault that must not cause a
     * failover this is the write downtime: e.g. the commits held while synchronous replication waits for a standby
     * that is gone, until the primary's watcher degrades it.
     */
    public static Long longestGap(List<OpRecord> ops, long faultMs, OpRecord.Kind kind) {
        List<Long> ends = ops.stream().filter(o -> o.kind() == kind && o.ok() && o.endMs() >= faultMs)
                .map(OpRecord::endMs).sorted().toList();
        if (ends.isEmpty()) {
            return null;
        }
        long longest = ends.get(0) - faultMs;
        for (int i = 1; i < ends.size(); i++) {
            longest = Math.max(longest, ends.get(i) - ends.get(i - 1));
        }
        return longest;
    }

    /**
     * The longest stretch from {@code fromMs} to {@code toMs} without an acknowledged write, the stretches before the
     * first and after the last one included: writes that stopped for good show as a pause until {@code toMs}.
     */
    public static long longestWritePause(List<OpRecord> ops, long fromMs, long toMs) {
        return longestWritePauseWindow(ops, fromMs, toMs).lengthMs();
    }

    /** Where that longest stretch lies: the first one when two are equally long. */
    public static PauseWindow longestWritePauseWindow(List<OpRecord> ops, long fromMs, long toMs) {
        List<Long> ends = ops.stream()
                .filter(o -> o.kind() == OpRecord.Kind.WRITE && o.ok() && o.endMs() >= fromMs && o.endMs() <= toMs)
                .map(OpRecord::endMs).sorted().toList();
        long previous = fromMs;
        PauseWindow longest = new PauseWindow(fromMs, fromMs);
        for (long end : ends) {
            if (end - previous > longest.lengthMs()) {
                longest = new PauseWindow(previous, end);
            }
            previous = end;
        }
        return toMs - previous > longest.lengthMs() ? new PauseWindow(previous, toMs) : longest;
    }

    /**
     * The write call that took longest among those running between {@code fromMs} and {@code toMs}, acknowledged or not:
     * what one request of the application waited, which the longest pause between acknowledgements does not show when
     * another thread's writes went on meanwhile. Empty when no write ran then.
     */
    public static Optional<OpRecord> slowestWrite(List<OpRecord> ops, long fromMs, long toMs) {
        return ops.stream()
                .filter(o -> o.kind() == OpRecord.Kind.WRITE && o.endMs() >= fromMs && o.startMs() <= toMs)
                .max(Comparator.comparingLong(o -> o.endMs() - o.startMs()));
    }

    /**
     * The writes that were running during {@code window} (started before its end, ended after its start): what the
     * clients were stuck in while nothing was acknowledged, which tells a lost packet from a refused connection.
     */
    public static List<OpRecord> writesDuring(List<OpRecord> ops, PauseWindow window) {
        return ops.stream()
                .filter(o -> o.kind() == OpRecord.Kind.WRITE && o.startMs() < window.toMs() && o.endMs() > window.fromMs())
                .sorted(Comparator.comparingLong(OpRecord::startMs)).toList();
    }

    /** A stretch of time without an acknowledged write, in epoch ms. */
    public record PauseWindow(long fromMs, long toMs) {
        public long lengthMs() {
            return toMs - fromMs;
        }
    }

    /** The first successful read that ended after a failed one (null when no read failed). */
    public static Long firstReadOkAfterFailure(List<OpRecord> ops, long faultMs) {
        Long firstFailure = ops.stream().filter(o -> o.kind() == OpRecord.Kind.READ && !o.ok() && o.endMs() >= faultMs)
                .map(OpRecord::endMs).min(Long::compare).orElse(null);
        if (firstFailure == null) {
            return null;
        }
        return ops.stream().filter(o -> o.kind() == OpRecord.Kind.READ && o.ok() && o.endMs() > firstFailure)
                .map(o -> o.endMs() - faultMs).min(Long::compare).orElse(null);
    }

    public static long acked(List<OpRecord> ops) {
        return ops.stream().filter(o -> o.kind() == OpRecord.Kind.WRITE && o.ok()).count();
    }

    public static long lost(List<OpRecord> ops, Set<Long> presentSeqs) {
        return ops.stream().filter(o -> o.kind() == OpRecord.Kind.WRITE && o.ok() && !presentSeqs.contains(o.seq())).count();
    }

    public static long failed(List<OpRecord> ops, OpRecord.Kind kind) {
        return ops.stream().filter(o -> o.kind() == kind && !o.ok()).count();
    }

    public static String sampleError(List<OpRecord> ops) {
        return ops.stream().filter(o -> !o.ok()).min(Comparator.comparingLong(OpRecord::endMs))
                .map(OpRecord::error).orElse(null);
    }

    /** Calls bucketed by the time they ended, from {@code fromMs} to {@code toMs} (relative to the fault). */
    public static RunResult.Series series(List<OpRecord> ops, long faultMs, long fromMs, long toMs) {
        int buckets = (int) Math.max(1, (toMs - fromMs + BUCKET_MS - 1) / BUCKET_MS);
        int[] wOk = new int[buckets], wFail = new int[buckets], rOk = new int[buckets], rFail = new int[buckets];
        for (OpRecord o : ops) {
            long rel = o.endMs() - faultMs;
            int b = (int) Math.floorDiv(rel - fromMs, BUCKET_MS);
            if (b < 0 || b >= buckets) {
                continue;
            }
            int[] target = o.kind() == OpRecord.Kind.WRITE ? (o.ok() ? wOk : wFail) : (o.ok() ? rOk : rFail);
            target[b]++;
        }
        return new RunResult.Series(fromMs, BUCKET_MS, wOk, wFail, rOk, rFail);
    }
}
