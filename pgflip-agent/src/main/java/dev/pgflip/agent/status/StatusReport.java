package dev.pgflip.agent.status;

import dev.pgflip.agent.ExitCode;
import java.util.List;

/** What {@code pgflip status} shows: the cluster as seen, and what needs attention in it. */
public record StatusReport(ClusterStatus status, List<Problem> problems) {
    public StatusReport {
        problems = List.copyOf(problems);
    }

    public static StatusReport of(ClusterStatus status) {
        return new StatusReport(status, StatusRules.judge(status));
    }

    public boolean healthy() {
        return problems.isEmpty();
    }

    /** 0 when nothing needs attention, else {@link ExitCode#ATTENTION} (5). */
    public int exitCode() {
        return healthy() ? ExitCode.OK.code() : ExitCode.ATTENTION.code();
    }
}
