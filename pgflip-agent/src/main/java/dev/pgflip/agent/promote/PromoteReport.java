package dev.pgflip.agent.promote;

import dev.pgflip.agent.provider.AssignResult;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What {@code pgflip promote} achieved, with timings from its start.
 *
 * @param nodeWritableAfter when the node first answered as primary (empty with --skip-promote)
 * @param flipOutcome the IP verified here, or why its move was deferred (only once the node is primary)
 * @param promoteExitCode exit code of promote.command, empty if skipped or still running at the deadline
 */
public record PromoteReport(Optional<Duration> nodeWritableAfter, FlipOutcome flipOutcome, OptionalInt promoteExitCode,
        Duration total) {

    /**
     * The verified move.
     *
     * @throws IllegalStateException when the move was deferred: ask {@link #flipOutcome()} first where it can be
     */
    public AssignResult flip() {
        if (flipOutcome instanceof FlipOutcome.Assigned assigned) {
            return assigned.result();
        }
        throw new IllegalStateException("the floating IP was not moved: " + flipOutcome);
    }

    /** The reason the IP was not moved, if it was not. */
    public Optional<FlipDeferral> deferral() {
        return flipOutcome instanceof FlipDeferral d ? Optional.of(d) : Optional.empty();
    }
}
