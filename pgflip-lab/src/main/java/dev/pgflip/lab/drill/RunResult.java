package dev.pgflip.lab.drill;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One failover of a drill, every time in milliseconds from the fault ({@code agent_promote_to_flip_ms}: from repmgrd
 * calling promote_command to the DigitalOcean action that moved the FLIP completing, pgflip's own share). The top-level client figures are those of
 * the first client stack (pgflip when it runs); {@code clients} has them for every stack.
 *
 * <p>{@code flip_on_new_primary}: the FLIP is on the new primary at the end, by the namespaces' interfaces and by the
 * API, and was never assigned elsewhere after it got there; {@code flip_moves}: the assign actions since the fault (1
 * in a clean failover, more when two nodes pull the FLIP back and forth).
 * {@code dual_writable_ms}: how long two nodes acknowledged direct writes at the same time ({@link WritableNodesProbe});
 * {@code writable_ticks}: per node, the 100 ms ticks of the run in which it acknowledged one (the old primary before
 * the fault, the new one after it: a probe that reached no node would show 0 everywhere).
 * Only some faults fill the rest (absent otherwise): {@code api_errors_injected}/{@code api_errors_served} (api-429,
 * api-500), {@code api_restored_ms} and {@code flip_converged_after_restore_ms} (api-down: when the API answered
 * again, and how long after that the FLIP moved), {@code hops} (failback: one entry per failover; the run's times are
 * then its slowest hop's, its counts the sums, its flags true only if true in every hop), {@code phases} (the steps
 * a fault took after its injection, in ms from it: {@link Phase}), {@code api_calls_delayed} (api-slow: the API calls
 * the emulator held), {@code checks} (the fault's own expectations and whether they held: {@link FaultChecks}).
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record RunResult(
        @JsonProperty("run") int run,
        @JsonProperty("fault") String fault,
        @JsonProperty("fault_node") String faultNode,
        @JsonProperty("old_primary") String oldPrimary,
        @JsonProperty("new_primary") String newPrimary,
        @JsonProperty("fault_at") String faultAt,
        @JsonProperty("write_unavailable_ms") Long writeUnavailableMs,
        @JsonProperty("read_unavailable_ms") Long readUnavailableMs,
        @JsonProperty("promoted_ms") Long promotedMs,
        @JsonProperty("flip_moved_ms") Long flipMovedMs,
        @JsonProperty("agent_promote_to_flip_ms") Long agentPromoteToFlipMs,
        @JsonProperty("acked_writes") long ackedWrites,
        @JsonProperty("lost_acked_writes") long lostAckedWrites,
        @JsonProperty("flip_on_new_primary") boolean flipOnNewPrimary,
        @JsonProperty("flip_moves") int flipMoves,
        @JsonProperty("dual_writable_ms") long dualWritableMs,
        @JsonProperty("writable_ticks") Map<String, Integer> writableTicks,
        @JsonProperty("timeline") List<TimelineEntry> timeline,
        @JsonProperty("clients") Map<String, ClientResult> clients,
        @JsonProperty("series") Map<String, Series> series,
        @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("api_errors_injected") Integer apiErrorsInjected,
        @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("api_errors_served") Integer apiErrorsServed,
        @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("api_restored_ms") Long apiRestoredMs,
        @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("flip_converged_after_restore_ms")
        Long flipConvergedAfterRestoreMs,
        @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("hops") List<Hop> hops,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) @JsonProperty("phases") Map<String, Long> phases,
        @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("api_calls_delayed") Integer apiCallsDelayed,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) @JsonProperty("checks") List<Check> checks) {

    public RunResult {
        phases = phases == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(phases));
        checks = checks == null ? List.of() : List.copyOf(checks);
    }

    /** A run of a fault with no steps or checks of its own (the faults before issue 13, a failback run). */
    public RunResult(int run, String fault, String faultNode, String oldPrimary, String newPrimary, String faultAt,
            Long writeUnavailableMs, Long readUnavailableMs, Long promotedMs, Long flipMovedMs, Long agentPromoteToFlipMs,
            long ackedWrites, long lostAckedWrites, boolean flipOnNewPrimary, int flipMoves, long dualWritableMs,
            Map<String, Integer> writableTicks, List<TimelineEntry> timeline, Map<String, ClientResult> clients,
            Map<String, Series> series, Integer apiErrorsInjected, Integer apiErrorsServed, Long apiRestoredMs,
            Long flipConvergedAfterRestoreMs, List<Hop> hops) {
        this(run, fault, faultNode, oldPrimary, newPrimary, faultAt, writeUnavailableMs, readUnavailableMs, promotedMs,
                flipMovedMs, agentPromoteToFlipMs, ackedWrites, lostAckedWrites, flipOnNewPrimary, flipMoves,
                dualWritableMs, writableTicks, timeline, clients, series, apiErrorsInjected, apiErrorsServed,
                apiRestoredMs, flipConvergedAfterRestoreMs, hops, Map.of(), null, List.of());
    }

    /** Whether every fault-specific check of this run held (true when it has none). */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean checksPassed() {
        return checks.stream().allMatch(Check::passed);
    }

    /**
     * One expectation of the fault checked on this run ({@link FaultChecks}): its name (e.g. {@code no_promotion}),
     * whether it held, and the facts it was judged on, times in ms from the fault.
     */
    public record Check(@JsonProperty("name") String name, @JsonProperty("passed") boolean passed,
                        @JsonProperty("detail") String detail) {}

    /**
     * One failover of a failback run: its fault at {@code fault_at_ms} from the run's first fault, its times from its
     * own fault; the acknowledged writes are those acknowledged from this hop's fault to the next one's.
     */
    public record Hop(
            @JsonProperty("hop") int hop,
            @JsonProperty("old_primary") String oldPrimary,
            @JsonProperty("new_primary") String newPrimary,
            @JsonProperty("fault_at_ms") long faultAtMs,
            @JsonProperty("write_unavailable_ms") Long writeUnavailableMs,
            @JsonProperty("promoted_ms") Long promotedMs,
            @JsonProperty("flip_moved_ms") Long flipMovedMs,
            @JsonProperty("rejoined_ms") Long rejoinedMs,
            @JsonProperty("acked_writes") long ackedWrites,
            @JsonProperty("lost_acked_writes") long lostAckedWrites,
            @JsonProperty("dual_writable_ms") long dualWritableMs,
            @JsonProperty("flip_on_new_primary") boolean flipOnNewPrimary,
            @JsonProperty("clients_write_unavailable_ms") Map<String, Long> clientsWriteUnavailableMs) {}

    /** A milestone and where its time came from (repmgr event hook, agent, emulator, prober, client). */
    public record TimelineEntry(String event, @JsonProperty("at_ms") Long atMs, String source) {}

    public record ClientResult(
            @JsonProperty("write_unavailable_ms") Long writeUnavailableMs,
            @JsonProperty("read_unavailable_ms") Long readUnavailableMs,
            @JsonProperty("first_write_ok_ms") Long firstWriteOkMs,
            @JsonProperty("first_read_ok_ms") Long firstReadOkMs,
            @JsonProperty("acked_writes") long ackedWrites,
            @JsonProperty("lost_acked_writes") long lostAckedWrites,
            @JsonProperty("failed_writes") long failedWrites,
            @JsonProperty("failed_reads") long failedReads,
            @JsonProperty("sample_error") String sampleError) {}

    /**
     * Calls per 100 ms bucket, bucket 0 starting {@code start_ms} from the fault (negative: before it), for the chart.
     */
    public record Series(@JsonProperty("start_ms") long startMs, @JsonProperty("bucket_ms") long bucketMs,
                         @JsonProperty("writes_ok") int[] writesOk, @JsonProperty("writes_failed") int[] writesFailed,
                         @JsonProperty("reads_ok") int[] readsOk, @JsonProperty("reads_failed") int[] readsFailed) {

        /** The number of buckets (the longest of the four arrays). */
        public int buckets() {
            return Math.max(Math.max(writesOk.length, writesFailed.length), Math.max(readsOk.length, readsFailed.length));
        }

        // A record compares arrays by reference; a series read back from drill.json must equal the one written.
        @Override
        public boolean equals(Object o) {
            return o instanceof Series s && startMs == s.startMs && bucketMs == s.bucketMs
                    && Arrays.equals(writesOk, s.writesOk) && Arrays.equals(writesFailed, s.writesFailed)
                    && Arrays.equals(readsOk, s.readsOk) && Arrays.equals(readsFailed, s.readsFailed);
        }

        @Override
        public int hashCode() {
            return Objects.hash(startMs, bucketMs, Arrays.hashCode(writesOk), Arrays.hashCode(writesFailed),
                    Arrays.hashCode(readsOk), Arrays.hashCode(readsFailed));
        }

        @Override
        public String toString() {
            return "Series[start_ms=" + startMs + ", bucket_ms=" + bucketMs + ", writes_ok=" + Arrays.toString(writesOk)
                    + ", writes_failed=" + Arrays.toString(writesFailed) + ", reads_ok=" + Arrays.toString(readsOk)
                    + ", reads_failed=" + Arrays.toString(readsFailed) + "]";
        }
    }
}
