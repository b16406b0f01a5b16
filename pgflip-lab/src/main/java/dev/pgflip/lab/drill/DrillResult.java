package dev.pgflip.lab.drill;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Every run of one fault and their summary: what {@code --json FILE} writes for a single fault (several faults:
 * {@link DrillSuite}) and what the report draws.
 */
public record DrillResult(
        @JsonProperty("fault") String fault,
        @JsonProperty("clients") List<String> clients,
        @JsonProperty("runs") List<RunResult> runs,
        @JsonProperty("summary") Summary summary) {

    /** After an API outage the FLIP must move within this long of the API answering again (issue 6). */
    public static final long FLIP_CONVERGENCE_LIMIT_MS = 10_000;

    public record Summary(
            @JsonProperty("runs") int runs,
            @JsonProperty("median_write_unavailable_ms") Long medianWriteUnavailableMs,
            @JsonProperty("max_write_unavailable_ms") Long maxWriteUnavailableMs,
            @JsonProperty("median_read_unavailable_ms") Long medianReadUnavailableMs,
            @JsonProperty("median_promoted_ms") Long medianPromotedMs,
            @JsonProperty("median_flip_moved_ms") Long medianFlipMovedMs,
            @JsonProperty("median_agent_promote_to_flip_ms") Long medianAgentPromoteToFlipMs,
            @JsonProperty("acked_writes") long ackedWrites,
            @JsonProperty("lost_acked_writes") long lostAckedWrites,
            @JsonProperty("flip_holder_correct") boolean flipHolderCorrect,
            @JsonProperty("dual_writable_ms") long dualWritableMs,
            @JsonProperty("clients") Map<String, ClientSummary> clients,
            @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("api_errors_injected") Integer apiErrorsInjected,
            @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("api_errors_served") Integer apiErrorsServed,
            @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("max_flip_converged_after_restore_ms")
            Long maxFlipConvergedAfterRestoreMs,
            @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("flip_converged_within_limit")
            Boolean flipConvergedWithinLimit,
            @JsonInclude(JsonInclude.Include.NON_EMPTY) @JsonProperty("checks") Map<String, CheckSummary> checks) {

        public Summary {
            checks = checks == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(checks));
        }

        /**
         * Whether every check held: no acknowledged write lost, the FLIP on the right node after every run, never two
         * writable nodes at once; for the API faults also: every injected error answered to the agent, and after an
         * outage the FLIP moved within {@link #FLIP_CONVERGENCE_LIMIT_MS} of the API answering again; for the faults
         * with checks of their own, every one of them in every run.
         */
        @JsonIgnore
        public boolean passed() {
            return lostAckedWrites == 0 && flipHolderCorrect && dualWritableMs == 0 && apiErrorsAllServed()
                    && flipConvergedInTime() && checksPassed();
        }

        /** Whether the fault's own checks ({@link FaultChecks}) held in every run; true for a fault without any. */
        @JsonIgnore
        public boolean checksPassed() {
            return checks.values().stream().allMatch(CheckSummary::passed);
        }

        @JsonIgnore
        public boolean apiErrorsAllServed() {
            return apiErrorsInjected == null || apiErrorsInjected.equals(apiErrorsServed);
        }

        /** True for faults without an API outage. */
        @JsonIgnore
        public boolean flipConvergedInTime() {
            return flipConvergedWithinLimit == null || flipConvergedWithinLimit;
        }
    }

    /**
     * One of the fault's own checks over all runs: in how many it held, and the detail of the first run where it did
     * not (null when it always held).
     */
    public record CheckSummary(
            @JsonProperty("passed_runs") int passedRuns,
            @JsonProperty("runs") int runs,
            @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("first_failure") String firstFailure) {

        @JsonIgnore
        public boolean passed() {
            return passedRuns == runs;
        }
    }

    /** A client stack over all runs; {@code ratio_to_first} compares its median write downtime with the first stack's. */
    public record ClientSummary(
            @JsonProperty("median_write_unavailable_ms") Long medianWriteUnavailableMs,
            @JsonProperty("max_write_unavailable_ms") Long maxWriteUnavailableMs,
            @JsonProperty("median_read_unavailable_ms") Long medianReadUnavailableMs,
            @JsonProperty("recovered_runs") int recoveredRuns,
            @JsonProperty("lost_acked_writes") long lostAckedWrites,
            @JsonProperty("ratio_to_first") Double ratioToFirst) {}

    public static DrillResult of(String fault, List<String> clients, List<RunResult> runs) {
        Map<String, ClientSummary> perClient = new LinkedHashMap<>();
        Long firstMedian = null;
        for (String client : clients) {
            List<Long> writes = values(runs, r -> r.clients().get(client).writeUnavailableMs());
            List<Long> reads = values(runs, r -> r.clients().get(client).readUnavailableMs());
            Long median = median(writes);
            if (firstMedian == null) {
                firstMedian = median;
            }
            Double ratio = median == null || firstMedian == null || firstMedian == 0 ? null
                    : Math.round(100.0 * median / firstMedian) / 100.0;
            perClient.put(client, new ClientSummary(median, max(writes), median(reads), writes.size(),
                    runs.stream().mapToLong(r -> r.clients().get(client).lostAckedWrites()).sum(), ratio));
        }
        Summary summary = new Summary(runs.size(),
                median(values(runs, RunResult::writeUnavailableMs)), max(values(runs, RunResult::writeUnavailableMs)),
                median(values(runs, RunResult::readUnavailableMs)), median(values(runs, RunResult::promotedMs)),
                median(values(runs, RunResult::flipMovedMs)), median(values(runs, RunResult::agentPromoteToFlipMs)),
                runs.stream().mapToLong(RunResult::ackedWrites).sum(),
                runs.stream().mapToLong(RunResult::lostAckedWrites).sum(),
                runs.stream().allMatch(RunResult::flipOnNewPrimary),
                runs.stream().mapToLong(RunResult::dualWritableMs).sum(), perClient,
                sum(runs, RunResult::apiErrorsInjected), sum(runs, RunResult::apiErrorsServed),
                max(values(runs, RunResult::flipConvergedAfterRestoreMs)),
                DrillFault.API_DOWN.cliName().equals(fault) ? runs.stream().allMatch(DrillResult::convergedInTime) : null,
                checks(runs));
        return new DrillResult(fault, clients, runs, summary);
    }

    /** Per check name, in the order the checks first appear: the runs it held in, and its first failure. */
    static Map<String, CheckSummary> checks(List<RunResult> runs) {
        Map<String, CheckSummary> checks = new LinkedHashMap<>();
        for (RunResult run : runs) {
            for (RunResult.Check check : run.checks()) {
                CheckSummary so = checks.getOrDefault(check.name(), new CheckSummary(0, 0, null));
                String failure = so.firstFailure() != null || check.passed() ? so.firstFailure()
                        : "run " + run.run() + ": " + check.detail();
                checks.put(check.name(), new CheckSummary(so.passedRuns() + (check.passed() ? 1 : 0), so.runs() + 1,
                        failure));
            }
        }
        return checks;
    }

    private static boolean convergedInTime(RunResult run) {
        return run.flipConvergedAfterRestoreMs() != null && run.flipConvergedAfterRestoreMs() <= FLIP_CONVERGENCE_LIMIT_MS;
    }

    /** The sum over the runs that have the figure; null when none has. */
    private static Integer sum(List<RunResult> runs, java.util.function.Function<RunResult, Integer> f) {
        List<Integer> present = runs.stream().map(f).filter(Objects::nonNull).toList();
        return present.isEmpty() ? null : present.stream().mapToInt(Integer::intValue).sum();
    }

    private static List<Long> values(List<RunResult> runs, java.util.function.Function<RunResult, Long> f) {
        List<Long> values = new ArrayList<>(runs.stream().map(f).filter(Objects::nonNull).toList());
        values.sort(Long::compare);
        return values;
    }

    /** The median of sorted values (the lower middle one for an even count: a measured value, not an average). */
    static Long median(List<Long> sorted) {
        return sorted.isEmpty() ? null : sorted.get((sorted.size() - 1) / 2);
    }

    static Long max(List<Long> sorted) {
        return sorted.isEmpty() ? null : sorted.get(sorted.size() - 1);
    }
}
