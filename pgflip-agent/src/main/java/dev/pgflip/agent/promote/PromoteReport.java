package dev.pgflip.agent.promote;

import dev.pgflip.agent.provider.AssignResult;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What {@code pgflip promote} achieved, with timings from its start.
 *
 * @param nodeWritableAfter when the node first answered as primary (empty with --skip-promote)
 * @param promoteExitCode exit code of promote.command, empty if skipped or still running at the deadline
 */
public record PromoteReport(Optional<Duration> nodeWritableAfter, AssignResult flip, OptionalInt promoteExitCode, Duration total) {}
