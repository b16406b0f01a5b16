package dev.pgflip.lab.drill;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Every run of a drill and their summary: what {@code --json FILE} writes and the report draws. */
public record DrillResult(
        @JsonProperty("fault") String fault,
        @JsonProperty("clients") List<String> clients,
        @JsonProperty("runs") List<RunResult> runs,
        @JsonProperty("summary") Summary summary) {

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
            @JsonProperty("clients") Map<String, ClientSummary> clients) {}

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
                runs.stream().allMatch(RunResult::flipOnNewPrimary), perClient);
        return new DrillResult(fault, clients, runs, summary);
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
