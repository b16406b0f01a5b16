package dev.pgflip.lab.drill;

import dev.pgflip.agent.repmgrd.StuckRequestRelease;
import dev.pgflip.lab.drill.RunResult.Check;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The expectations of issue 13's faults, judged on what a run saw ({@link RunEvidence}): pure, so every verdict is
 * unit-tested without a lab. They come on top of the checks every fault has (no acknowledged write lost, the FLIP on
 * the writer, never two writable nodes); the faults before issue 13 have none of their own.
 *
 * <p>Each check names what it judged: a step that never happened (a second kill skipped because the failover did not
 * complete) fails the check that needs it, saying so, rather than passing for want of evidence.
 */
final class FaultChecks {
    /** "Writes go on": no stretch without an acknowledged write longer than this (the load commits every few ms). */
    static final long WRITES_GO_ON_MS = 2_000;
    /**
     * switchover: a bound on the reference stack's write pause, far above its aim (1 s), so that a switchover that
     * stops writes instead of pausing them fails; the pause itself is in the check's detail and the drill's figures.
     */
    static final long SWITCHOVER_PAUSE_LIMIT_MS = 5_000;
    /** blip: the writes pause less than this (issue 13). */
    static final long BLIP_PAUSE_LIMIT_MS = 2_000;
    /** brief-freeze: the writes pause less than this, the freeze and 2 s to resume (as the blip's 0.8 s and 1.2 s). */
    static final long BRIEF_FREEZE_PAUSE_LIMIT_MS = BriefFreezeScenario.FROZEN_MS + 2_000;
    /** How many of the writes running during a broken pause its check names. */
    static final int PAUSE_WRITES_SHOWN = 8;
    private static final int ERROR_CHARS_SHOWN = 120;
    /**
     * The keeper acts on its own 100 ms ticks: after {@code degrade_after} at most (the degrade at a promotion is
     * immediate, the restore needs only a streaming standby), plus this for the ticks and applying the setting. A
     * keeper that waits behind an 8 s API call misses it by far.
     */
    static final long SYNC_SLACK_MS = 1_000;

    private FaultChecks() {}

    static List<Check> of(RunEvidence e) {
        List<Check> checks = new ArrayList<>(faultChecks(e));
        if (!e.followers().isEmpty()) {
            checks.add(standbysFollow(e));
        }
        return List.copyOf(checks);
    }

    /**
     * After a failover with more than one standby: every standby that was not promoted streams from the new primary
     * (repmgrd's follow_command), within {@link StandbyUpstreams#FOLLOW_WAIT} of the load's end.
     */
    static Check standbysFollow(RunEvidence e) {
        boolean allFollow = e.followers().values().stream().allMatch(e.writer()::equals);
        String all = e.followers().keySet().stream().map(n -> n + " <- " + e.followers().get(n))
                .collect(java.util.stream.Collectors.joining(", "));
        return allFollow
                ? new Check("standbys_follow", true, "every other standby streams from " + e.writer() + ": " + all)
                : new Check("standbys_follow", false, "not streaming from the new primary " + e.writer() + " "
                        + StandbyUpstreams.FOLLOW_WAIT.toSeconds() + " s after the load: " + all
                        + " (see their repmgr logs: repmgrd's follow_command)");
    }

    /**
     * standby-behind: the standby kept behind was not promoted (it would have won a tie, being the lowest node id), a
     * standby that had received the commits it lacks was. That the one behind then follows is {@code standbys_follow}.
     */
    static Check mostAdvancedPromoted(RunEvidence e) {
        StandbyBehindScenario.StandbyBehind behind = e.standbyBehind();
        if (behind == null) {
            return notMeasured("most_advanced_promoted", "the standby kept behind is not known");
        }
        String gap = behind.bytes() == null ? "an unknown number of bytes" : behind.bytes() + " bytes";
        if (standbyWritableAt(e.events(), e.ticks(), e.writer(), e.faultMs()).isEmpty()) {
            return new Check("most_advanced_promoted", false, "no standby became writable after the kill");
        }
        return e.writer().equals(behind.node())
                ? new Check("most_advanced_promoted", false, behind.node() + " was promoted though it was " + gap
                        + " of WAL behind the primary when it was killed")
                : new Check("most_advanced_promoted", true, e.writer() + " was promoted, not " + behind.node()
                        + ", which was " + gap + " of WAL behind the primary when it was killed");
    }

    /**
     * pair-heal-kill: once the cut healed, every standby's repmgrd looped again before the primary was killed; a
     * repmgrd still in the election's wait would leave the failover to chance (who is ahead when the kill comes).
     */
    static Check repmgrdsLoopingBeforeKill(RunEvidence e) {
        Optional<Long> healed = e.phase(Phase.HEALED);
        Optional<Long> looping = e.phase(Phase.REPMGRDS_LOOPING);
        if (healed.isEmpty()) {
            return notMeasured("repmgrds_looping_before_kill", "the cut was never healed");
        }
        return looping.filter(at -> at <= e.faultMs())
                .map(at -> new Check("repmgrds_looping_before_kill", true, "every standby's repmgrd saw its upstream"
                        + " again " + (at - healed.get()) + " ms after the heal; the kill came "
                        + (e.faultMs() - healed.get()) + " ms after it"))
                .orElse(new Check("repmgrds_looping_before_kill", false, "a standby's repmgrd had not seen its"
                        + " upstream for " + RepmgrdLooping.STALE_S + " s or more " + PairHealKillScenario.LOOPING_WAIT_S
                        + " s after the heal (an election's wait not released: see its pgflip watch log for"
                        + " repmgrd_released, and its repmgr log)"));
    }

    private static List<Check> faultChecks(RunEvidence e) {
        return switch (e.fault()) {
            case PAIR_PARTITION -> List.of(noSplitBrain(e));
            case WITNESS_PARTITION -> List.of(noPromotion(e),
                    writesPause("writes_go_on", e, e.faultMs(), WRITES_GO_ON_MS, false));
            case STALE_RESTART -> List.of(stepDone(e, Phase.SECOND_KILL), staleTookNoFlip(e), staleTookNoWrites(e));
            case STALE_RESTART_BY_HAND -> List.of(stepDone(e, Phase.SECOND_KILL), staleTookNoFlip(e),
                    staleFencedByWatch(e), pgflipWroteNothingToStale(e));
            case CDC_STREAM -> List.of(cdcStreamConnected(e),
                    writesPause("writes_pause_within_degrade_bound", e, e.faultMs(), e.sync().degradeBoundMs(), false));
            case WITNESS_AFTER_FAILOVER -> List.of(stepDone(e, Phase.WITNESS_KILLED), writerNotFenced(e),
                    e.phase(Phase.WITNESS_KILLED).map(killed -> writesPause("new_primary_keeps_writing", e, killed,
                            WRITES_GO_ON_MS, false)).orElse(notMeasured("new_primary_keeps_writing",
                            "the witness was never killed")));
            case BLIP -> List.of(noPromotion(e), writesPause("writes_pause_under_2s", e, e.faultMs(),
                    BLIP_PAUSE_LIMIT_MS, true));
            case BRIEF_FREEZE -> List.of(noPromotion(e), primaryNotFenced(e), writesPause("writes_pause_under_freeze_plus_2s",
                    e, e.faultMs(), BRIEF_FREEZE_PAUSE_LIMIT_MS, true));
            case THAW_AT_ELECTION -> List.of(repmgrdsLoopingAfterThaw(e));
            case API_SLOW -> List.of(flipMovedWhileApiSlow(e), promoteHookExitedZero(e), syncDegradedOnTime(e),
                    syncRestoredOnTime(e));
            case STANDBY_BEHIND -> List.of(mostAdvancedPromoted(e));
            case PAIR_HEAL_KILL -> List.of(repmgrdsLoopingBeforeKill(e));
            case HAND_PROMOTE -> List.of(oldPrimaryFencedAfterHandPromotion(e));
            case FREEZE_MID_QUERY -> List.of(repmgrdUnblocked(e));
            case SWITCHOVER -> List.of(switchoverDone(e), noFailedRequests(e),
                    writesPause("writes_pause_under_5s", e, e.faultMs(), SWITCHOVER_PAUSE_LIMIT_MS, true));
            default -> List.of();
        };
    }

    /**
     * When {@code node} became a primary after {@code fromMs}, by the earliest sign of it: its watcher saw the role
     * change, the promote hook saw it writable, repmgr recorded the promotion.
     */
    static Optional<Long> promotedAt(ClusterEvents events, String node, long fromMs) {
        return Stream.of(
                        events.first("pgflip_watch_role_changed", node, fromMs, j -> "PRIMARY".equals(j.path("to").asText())),
                        events.first("pgflip_node_writable", node, fromMs),
                        promotionRecorded(events, node, fromMs),
                        events.first("repmgrd_failover_promote", node, fromMs))
                .flatMap(Optional::stream).map(ClusterEvents.Event::atMs).min(Long::compare);
    }

    /**
     * repmgr's record of a promotion: {@code primary_register} from the promote hook (it promotes with pg_promote and
     * records with {@code repmgr primary register --force}), or {@code standby_promote} from a {@code repmgr standby
     * promote} (by hand, or a hook of before 2026-12-06).
     */
    static Optional<ClusterEvents.Event> promotionRecorded(ClusterEvents events, String node, long fromMs) {
        return Stream.of("primary_register", "standby_promote")
                .map(name -> events.first(name, node, fromMs, j -> j.path("success").asBoolean(false)))
                .flatMap(Optional::stream).min(Comparator.comparingLong(ClusterEvents.Event::atMs));
    }

    /** The standby writable after the fault: promoted by the events, or acknowledging a direct write of the probe. */
    static Optional<Long> standbyWritableAt(RunEvidence e) {
        return standbyWritableAt(e.events(), e.ticks(), e.standby(), e.faultMs());
    }

    static Optional<Long> standbyWritableAt(ClusterEvents events, WritableNodesProbe.Ticks ticks, String standby,
            long faultMs) {
        return Stream.of(promotedAt(events, standby, faultMs), ticks.firstAcknowledgedAt(standby, faultMs))
                .flatMap(Optional::stream).min(Long::compare);
    }

    static Check noPromotion(RunEvidence e) {
        Optional<Long> promoted = standbyWritableAt(e);
        return promoted.map(at -> new Check("no_promotion", false, e.standby() + " became writable at " + e.at(at)
                        + " (" + e.oldPrimary() + " was still up)"))
                .orElse(new Check("no_promotion", true, e.standby() + " stayed a standby: no promotion event, no direct"
                        + " write acknowledged; " + e.oldPrimary() + " kept the primary role"));
    }

    /**
     * pair-partition: no promotion at all, or the old primary fenced before the standby was writable and acknowledging
     * no direct write from then on.
     */
    static Check noSplitBrain(RunEvidence e) {
        Optional<Long> promoted = standbyWritableAt(e);
        if (promoted.isEmpty()) {
            return new Check("no_split_brain", true, "no promotion: " + e.standby() + " stayed a standby, "
                    + e.oldPrimary() + " kept the primary role");
        }
        long writable = promoted.get();
        Optional<ClusterEvents.Event> fenced = e.events().first("pgflip_watch_fenced", e.oldPrimary(), e.faultMs());
        int oldWrites = e.ticks().acknowledgedFrom(e.oldPrimary(), writable);
        boolean fencedFirst = fenced.isPresent() && fenced.get().atMs() < writable;
        String detail = e.standby() + " writable at " + e.at(writable) + "; " + e.oldPrimary()
                + fenced.map(f -> " fenced at " + e.at(f.atMs()) + " (" + f.raw().path("kind").asText("?") + ")")
                        .orElse(" never fenced") + "; " + e.oldPrimary() + " acknowledged " + oldWrites
                + " direct write tick(s) after " + e.standby() + " was writable"
                + e.ticks().firstAcknowledgedAt(e.oldPrimary(), writable).map(t -> " (first " + e.at(t) + ")").orElse("");
        return new Check("no_split_brain", fencedFirst && oldWrites == 0, detail);
    }

    /**
     * The reference stack's longest stretch without an acknowledged write from {@code fromMs} to the end, against a
     * limit ({@code strict}: it must stay below it).
     */
    static Check writesPause(String name, RunEvidence e, long fromMs, long limitMs, boolean strict) {
        ClientMeasures.PauseWindow window = ClientMeasures.longestWritePauseWindow(e.referenceOps(), fromMs, e.endMs());
        long pause = window.lengthMs();
        boolean held = strict ? pause < limitMs : pause <= limitMs;
        String detail = e.referenceStack() + ": longest write pause " + pause + " ms from " + e.at(fromMs) + " to the end ("
                + e.at(e.endMs()) + "), limit " + (strict ? "< " : "<= ") + limitMs + " ms"
                + e.phase(Phase.HEALED).filter(h -> e.fault() == DrillFault.BLIP)
                        .map(h -> "; the link was down " + (h - e.faultMs()) + " ms").orElse("")
                + e.phase(Phase.HEALED).filter(h -> e.fault() == DrillFault.BRIEF_FREEZE)
                        .map(h -> "; " + e.oldPrimary() + " was frozen " + (h - e.faultMs()) + " ms").orElse("")
                + ClientMeasures.slowestWrite(e.referenceOps(), fromMs, e.endMs())
                        .map(o -> "; its slowest write call took " + (o.endMs() - o.startMs()) + " ms (" + e.at(o.startMs())
                                + " to " + e.at(o.endMs()) + (o.ok() ? "" : ", failed") + ")").orElse("");
        if (!held) {
            detail += "; " + pauseAnatomy(e, window);
        }
        return new Check(name, held, detail);
    }

    private static String abbreviated(String error) {
        return error == null || error.length() <= ERROR_CHARS_SHOWN ? error : error.substring(0, ERROR_CHARS_SHOWN) + "…";
    }

    /** What the writes were doing during a pause that broke its limit: the check alone cannot say why. */
    static String pauseAnatomy(RunEvidence e, ClientMeasures.PauseWindow window) {
        List<OpRecord> during = ClientMeasures.writesDuring(e.referenceOps(), window);
        StringBuilder out = new StringBuilder("the pause ran " + e.at(window.fromMs()) + " to " + e.at(window.toMs())
                + ", writes running in it: ");
        if (during.isEmpty()) {
            return out.append("none (the clients issued no write)").toString();
        }
        int shown = Math.min(during.size(), PAUSE_WRITES_SHOWN);
        for (int i = 0; i < shown; i++) {
            OpRecord op = during.get(i);
            out.append(i == 0 ? "" : ", ").append(e.at(op.startMs())).append("..").append(e.at(op.endMs()))
                    .append(op.ok() ? " acked by " + op.node() : " failed: " + abbreviated(op.error()));
        }
        if (during.size() > shown) {
            out.append(" and ").append(during.size() - shown).append(" more");
        }
        return out.toString();
    }

    static Check cdcStreamConnected(RunEvidence e) {
        return e.phase(Phase.CDC_STREAMING)
                .map(at -> new Check("cdc_stream_connected", true, "pg_receivewal ("
                        + CdcStreamScenario.APPLICATION_NAME + ") streaming from " + e.oldPrimary() + " since " + e.at(at)))
                .orElse(new Check("cdc_stream_connected", false, "pg_receivewal was never seen streaming from "
                        + e.oldPrimary() + " (see its log): the fault was a plain standby-down"));
    }

    /** A step the fault takes only once the failover completed (writes on a standby, the FLIP answering from it). */
    static Check stepDone(RunEvidence e, Phase step) {
        return e.phase(step)
                .map(at -> new Check("first_failover_done", true, "failover to " + e.standby() + " completed; then "
                        + step.description() + " at " + e.at(at)))
                .orElse(new Check("first_failover_done", false, "the failover did not complete within the recovery"
                        + " timeout, so the fault's next step (" + step.description() + ") was not taken"));
    }

    static Check staleTookNoFlip(RunEvidence e) {
        return whenRestarted(e, "stale_primary_took_no_flip", restarted -> staleTookNoFlip(e, restarted));
    }

    private static Check staleTookNoFlip(RunEvidence e, long restarted) {
        String name = "stale_primary_took_no_flip";
        long since = e.phase(Phase.SECOND_KILL).orElse(restarted);
        List<RunEvidence.FlipAssignment> toStale = e.assignments().stream()
                .filter(a -> e.oldPrimary().equals(a.node()) && a.completedAtMs() >= since).toList();
        boolean onStale = e.oldPrimary().equals(e.flipInterfaceHolder()) || e.oldPrimary().equals(e.flipApiHolder());
        String detail = "after " + e.standby() + " was killed (" + e.at(since) + "): " + toStale.size()
                + " assignment(s) of the FLIP to " + e.oldPrimary()
                + toStale.stream().findFirst().map(a -> " (first completed " + e.at(a.completedAtMs()) + ")").orElse("")
                + "; at the end the FLIP was on " + orNone(e.flipInterfaceHolder()) + " by the interfaces, "
                + orNone(e.flipApiHolder()) + " by the API";
        return new Check(name, toStale.isEmpty() && !onStale, detail);
    }

    static Check staleTookNoWrites(RunEvidence e) {
        return whenRestarted(e, "stale_primary_took_no_writes", since -> staleTookNoWrites(e, since));
    }

    private static Check staleTookNoWrites(RunEvidence e, long since) {
        String name = "stale_primary_took_no_writes";
        int probe = e.ticks().acknowledgedFrom(e.oldPrimary(), since);
        Map<String, Long> perStack = writesOn(e, e.oldPrimary(), since, Long.MAX_VALUE);
        long clients = perStack.values().stream().mapToLong(Long::longValue).sum();
        // Whether (and why) the start guard started it in recovery, and whether it fenced itself: a pass for the
        // wrong reason must show. The guard decides just before the restart's phase mark.
        String guard = e.events().first("pgflip_start_guard", e.oldPrimary(), e.phase(Phase.SECOND_KILL).orElse(since))
                .map(g -> "; start-guard: " + g.raw().path("outcome").asText("") + " ("
                        + g.raw().path("reason").asText("") + ")")
                .orElse("; no start-guard decision");
        String fence = e.events().first("pgflip_watch_fenced", e.oldPrimary(), since)
                .map(f -> "; it fenced itself at " + e.at(f.atMs()) + ": " + f.raw().path("reason").asText(""))
                .orElse("; it never fenced itself");
        String detail = "after its restart (" + e.at(since) + ") " + e.oldPrimary() + " acknowledged " + probe
                + " direct write tick(s)" + e.ticks().firstAcknowledgedAt(e.oldPrimary(), since)
                        .map(t -> " (first " + e.at(t) + ")").orElse("") + " and client writes " + perStack + guard + fence;
        return new Check(name, probe == 0 && clients == 0, detail);
    }

    /**
     * stale-restart-by-hand: the old primary, started writable past the start guard, fenced itself (its watch reads
     * the successor's promotion on the witness) within the scenario's watch; the detail says how soon, and how many
     * writes it acknowledged before: the drill's direct probe and each client stack (a client that connects to any
     * writable node, pgjdbc multi-host, writes there until the fence).
     */
    static Check staleFencedByWatch(RunEvidence e) {
        return whenRestarted(e, "stale_primary_fenced_by_watch", since -> staleFencedByWatch(e, since));
    }

    private static Check staleFencedByWatch(RunEvidence e, long since) {
        String name = "stale_primary_fenced_by_watch";
        Optional<ClusterEvents.Event> fenced = e.events().first("pgflip_watch_fenced", e.oldPrimary(), since);
        long until = fenced.map(ClusterEvents.Event::atMs).orElse(Long.MAX_VALUE);
        int probe = e.ticks().acknowledgedFrom(e.oldPrimary(), since);
        String detail = e.oldPrimary() + " started by hand at " + e.at(since)
                + fenced.map(f -> "; fenced itself " + (f.atMs() - since) + " ms later (" + f.raw().path("kind")
                        .asText("?") + ": " + f.raw().path("reason").asText("") + ")").orElse("; it never fenced itself")
                + "; it acknowledged " + probe + " direct write tick(s) of the probe"
                + e.ticks().firstAcknowledgedAt(e.oldPrimary(), since).map(t -> " (first " + e.at(t) + ")").orElse("")
                + ", client writes " + writesOn(e, e.oldPrimary(), since, until) + " before the fence and "
                + writesOn(e, e.oldPrimary(), until, Long.MAX_VALUE) + " after it";
        return new Check(name, fenced.isPresent(), detail);
    }

    /**
     * stale-restart-by-hand: pgflip-jdbc wrote nothing on the stale node: it is on an older timeline than the newest
     * pgflip-jdbc has seen, so never a direct write target, and the floating IP does not lead there.
     */
    static Check pgflipWroteNothingToStale(RunEvidence e) {
        String name = "pgflip_wrote_nothing_to_stale_primary";
        return whenRestarted(e, name, since -> {
            long pgflip = writesOn(e, e.oldPrimary(), since, Long.MAX_VALUE).getOrDefault("pgflip", 0L);
            return new Check(name, pgflip == 0, "pgflip-jdbc's writes acknowledged by " + e.oldPrimary() + " after its"
                    + " restart (" + e.at(since) + "): " + pgflip);
        });
    }

    /** The check made from the stale node's restart, or "not measured" when the run never restarted it. */
    private static Check whenRestarted(RunEvidence e, String name, java.util.function.LongFunction<Check> check) {
        return e.phase(Phase.RESTARTED).map(check::apply)
                .orElseGet(() -> notMeasured(name, e.oldPrimary() + " was never restarted"));
    }

    /** Acknowledged client writes on {@code node} that ended in [{@code fromMs}, {@code toMs}), per stack. */
    private static Map<String, Long> writesOn(RunEvidence e, String node, long fromMs, long toMs) {
        Map<String, Long> perStack = new LinkedHashMap<>();
        e.clientOps().forEach((stack, ops) -> perStack.put(stack, ops.stream()
                .filter(o -> o.kind() == OpRecord.Kind.WRITE && o.ok() && o.endMs() >= fromMs && o.endMs() < toMs
                        && node.equals(o.node()))
                .count()));
        return perStack;
    }

    /**
     * hand-promote: once the standby was promoted by hand the old primary fenced itself and acknowledged no direct write
     * (the writable probe's, issued a tick after the promotion: one issued before may have been replicated, and so
     * acknowledged, just before it). Its commits can only wait for the standby that no longer streams.
     */
    static Check oldPrimaryFencedAfterHandPromotion(RunEvidence e) {
        String name = "old_primary_fenced_took_no_writes";
        Optional<Long> promoted = e.phase(Phase.PROMOTED_BY_HAND);
        if (promoted.isEmpty()) {
            return notMeasured(name, e.standby() + " was never promoted by hand");
        }
        long since = promoted.get() + WritableNodesProbe.TICK_MS;
        int probe = e.ticks().acknowledgedFrom(e.oldPrimary(), since);
        Optional<ClusterEvents.Event> fenced = e.events().first("pgflip_watch_fenced", e.oldPrimary(), e.faultMs());
        String detail = e.standby() + " promoted by hand at " + e.at(promoted.get()) + "; " + e.oldPrimary()
                + fenced.map(f -> " fenced itself at " + e.at(f.atMs()) + " (" + f.raw().path("kind").asText("?")
                        + ": " + f.raw().path("reason").asText("") + ")").orElse(" never fenced itself")
                + "; it acknowledged " + probe + " direct write tick(s) from " + e.at(since)
                + e.ticks().firstAcknowledgedAt(e.oldPrimary(), since).map(t -> " (first " + e.at(t) + ")").orElse("");
        return new Check(name, fenced.isPresent() && probe == 0, detail);
    }

    /**
     * freeze-mid-query: a standby's repmgrd, waiting on the frozen primary's answer, got that connection ended by
     * pgflip watch (which let the failover start at all).
     */
    static Check repmgrdUnblocked(RunEvidence e) {
        String name = "stuck_repmgrd_unblocked";
        Optional<Long> frozen = e.phase(Phase.FROZEN_MID_QUERY);
        if (frozen.isEmpty()) {
            return notMeasured(name, "the primary was never frozen (the standbys' repmgrd never waited on it)");
        }
        Optional<ClusterEvents.Event> unblocked = e.events().first("pgflip_watch_" + StuckRequestRelease.EVENT, null,
                e.faultMs());
        return unblocked.map(u -> new Check(name, true, u.node() + "'s pgflip watch ended its repmgrd's connection to "
                        + u.raw().path("peer").asText("?") + " at " + e.at(u.atMs()) + " (no answer for "
                        + u.raw().path("unanswered_ms").asLong() + " ms); " + e.oldPrimary() + " frozen at "
                        + e.at(frozen.get())))
                .orElse(new Check(name, false, "no standby's pgflip watch ended its repmgrd's connection to the frozen "
                        + e.oldPrimary() + " (frozen at " + e.at(frozen.get()) + "): see the watch logs for"
                        + " repmgrd_unblock_failed"));
    }

    /**
     * thaw-at-election: whatever the thaw led to, every standby still in recovery has a repmgrd that loops again within
     * {@value ThawAtElectionScenario#LOOPING_WAIT_S} s of the primary continuing (none left to check after a promotion of
     * the only standby). Without a claim the fault did not happen as meant.
     */
    static Check repmgrdsLoopingAfterThaw(RunEvidence e) {
        String name = "repmgrds_looping_after_thaw";
        Optional<Long> continued = e.phase(Phase.HEALED);
        if (continued.isEmpty()) {
            return notMeasured(name, "the primary was never continued");
        }
        if (e.phase(Phase.ELECTION_WON).isEmpty() && e.phase(Phase.PROMOTION_CLAIMED).isEmpty()) {
            return notMeasured(name, "no standby won an election nor claimed its promotion while the primary was"
                    + " frozen (" + ThawAtElectionScenario.MAX_FROZEN_MS / 1000 + " s)");
        }
        return e.phase(Phase.REPMGRDS_LOOPING)
                .map(at -> new Check(name, true, "every standby still in recovery had a looping repmgrd "
                        + (at - continued.get()) + " ms after " + e.oldPrimary() + " continued"))
                .orElse(new Check(name, false, "a standby's repmgrd did not loop " + ThawAtElectionScenario.LOOPING_WAIT_S
                        + " s after " + e.oldPrimary() + " continued (it exited, or waits in an election: the run's"
                        + " steps show its logs); no automatic failover from it"));
    }

    /** brief-freeze: the primary's watch, which the freeze does not stop, must not fence its own stalled node. */
    static Check primaryNotFenced(RunEvidence e) {
        return notFenced("primary_not_fenced", e, e.oldPrimary(), e.faultMs(),
                "from the freeze (" + e.at(e.faultMs()) + ") to the end");
    }

    /** {@code node} did not fence itself from {@code fromMs} on ({@code since} says from what, for the detail). */
    private static Check notFenced(String name, RunEvidence e, String node, long fromMs, String since) {
        return e.events().first("pgflip_watch_fenced", node, fromMs)
                .map(f -> new Check(name, false, node + " fenced itself at " + e.at(f.atMs()) + ": "
                        + f.raw().path("reason").asText("")))
                .orElse(new Check(name, true, "no pgflip_watch_fenced from " + node + " " + since));
    }

    static Check writerNotFenced(RunEvidence e) {
        String name = "new_primary_not_fenced";
        Optional<Long> killed = e.phase(Phase.WITNESS_KILLED);
        if (killed.isEmpty()) {
            return notMeasured(name, "the witness was never killed");
        }
        return notFenced(name, e, e.writer(), killed.get(), "after the witness was killed (" + e.at(killed.get()) + ")");
    }

    static Check flipMovedWhileApiSlow(RunEvidence e) {
        long slowUntil = e.phase(Phase.API_LATENCY_CLEARED).orElse(e.endMs());
        Optional<RunEvidence.FlipAssignment> move = e.assignments().stream()
                .filter(a -> e.writer().equals(a.node())).findFirst();
        String calls = e.apiCallsDelayed() == null ? "" : "; the emulator delayed " + e.apiCallsDelayed() + " API call(s)";
        return move.map(m -> new Check("flip_moved_while_api_slow", m.completedAtMs() < slowUntil, "the FLIP moved to "
                        + e.writer() + " at " + e.at(m.completedAtMs()) + ", the API slow until " + e.at(slowUntil) + calls))
                .orElse(new Check("flip_moved_while_api_slow", false, "no assignment of the FLIP to " + e.writer()
                        + " completed by the end (the API slow until " + e.at(slowUntil) + ")" + calls));
    }

    /**
     * The hook's exit status as repmgrd saw it: {@code repmgrd_promote_error} (failover state PROMOTION_FAILED) when
     * promote_command exited non-zero, {@code repmgrd_failover_promote} when it exited 0 (repmgr 5.3 records that one
     * too when it later finds the node promoted all the same, with the details "promotion command failed but promotion
     * completed successfully": so only the absence of the error counts); the hook itself records
     * {@code pgflip_promote_failed} before a non-zero exit; repmgr's record of the promotion ({@link #promotionRecorded})
     * says the promotion inside it worked.
     */
    static Check switchoverDone(RunEvidence e) {
        return e.phase(Phase.SWITCHOVER_DONE)
                .map(at -> new Check("switchover_exit_0", true, "pgflip switchover exited 0 at " + e.at(at)))
                .orElse(new Check("switchover_exit_0", false, "pgflip switchover did not exit 0: see"
                        + " logs/switchover.log"));
    }

    /** A planned switchover must cost the reference stack (pgflip) no failed call, only a pause. */
    static Check noFailedRequests(RunEvidence e) {
        long writes = ClientMeasures.failed(e.referenceOps(), OpRecord.Kind.WRITE);
        long reads = ClientMeasures.failed(e.referenceOps(), OpRecord.Kind.READ);
        String first = e.referenceOps().stream().filter(o -> !o.ok()).findFirst()
                .map(o -> "; first: " + o.kind().name().toLowerCase(java.util.Locale.ROOT) + " at " + e.at(o.endMs())
                        + (o.node() == null ? "" : " on " + o.node()) + ": " + o.error())
                .orElse("");
        return new Check("no_failed_requests", writes == 0 && reads == 0, e.referenceStack() + ": " + writes
                + " failed write(s), " + reads + " failed read(s)" + first);
    }

    static Check promoteHookExitedZero(RunEvidence e) {
        ClusterEvents ev = e.events();
        Optional<ClusterEvents.Event> done = ev.first("repmgrd_failover_promote", e.writer(), e.faultMs());
        Optional<ClusterEvents.Event> error = ev.first("repmgrd_promote_error", e.writer(), e.faultMs());
        Optional<ClusterEvents.Event> failed = ev.first("pgflip_promote_failed", e.writer(), e.faultMs());
        Optional<ClusterEvents.Event> promoted = promotionRecorded(ev, e.writer(), e.faultMs());
        List<String> seen = new ArrayList<>();
        promoted.ifPresent(p -> seen.add(p.event() + " (success) at " + e.at(p.atMs())));
        error.ifPresent(x -> seen.add("repmgrd_promote_error at " + e.at(x.atMs())
                + " (PROMOTION_FAILED: promote_command exited non-zero)"));
        failed.ifPresent(f -> seen.add("pgflip_promote_failed at " + e.at(f.atMs()) + ": "
                + f.raw().path("error").asText("")));
        done.ifPresent(d -> seen.add("repmgrd_failover_promote at " + e.at(d.atMs()) + " ("
                + d.raw().path("details").asText("") + ")"));
        if (done.isEmpty() && error.isEmpty()) {
            seen.add("repmgrd recorded neither repmgrd_failover_promote nor repmgrd_promote_error by the end");
        }
        return new Check("promote_hook_exit_0", done.isPresent() && error.isEmpty() && failed.isEmpty()
                && promoted.isPresent(), String.join("; ", seen));
    }

    /**
     * After its promotion the new primary must stop making commits wait for a standby (there is none) within the
     * keeper's bound: judged on the writable probe, whose direct writes count only when acknowledged without waiting
     * (a commit held by synchronous replication is cancelled at 1 s and not counted). A keeper stuck behind a slow
     * API call shows as no acknowledged direct write until it degrades. Whether anything was there to degrade depends
     * on the node's history (a standby cloned before the keeper set {@code synchronous_standby_names} never had it),
     * so the {@code pgflip_watch_sync_degraded} event is reported, not required.
     */
    static Check syncDegradedOnTime(RunEvidence e) {
        String name = "sync_degraded_on_time";
        long limit = e.sync().degradeAfterMs() + SYNC_SLACK_MS;
        Optional<Long> promoted = promotedAt(e.events(), e.writer(), e.faultMs());
        if (promoted.isEmpty()) {
            return notMeasured(name, e.writer() + " was never promoted");
        }
        String degraded = e.events().first("pgflip_watch_sync_degraded", e.writer(), e.faultMs())
                .map(d -> "pgflip_watch_sync_degraded at " + e.at(d.atMs()))
                .orElse("no pgflip_watch_sync_degraded (synchronous_standby_names was not set there)");
        return e.ticks().firstAcknowledgedAt(e.writer(), promoted.get())
                .map(w -> new Check(name, w - promoted.get() <= limit, e.writer() + " promoted at "
                        + e.at(promoted.get()) + ", its first direct write acknowledged without waiting at " + e.at(w)
                        + " (" + (w - promoted.get()) + " ms later, limit " + limit + " ms); " + degraded))
                .orElse(new Check(name, false, e.writer() + " promoted at " + e.at(promoted.get()) + ", no direct write"
                        + " acknowledged on it by the end: its commits kept waiting; " + degraded));
    }

    static Check syncRestoredOnTime(RunEvidence e) {
        String name = "sync_restored_on_time";
        long limit = e.sync().degradeAfterMs() + SYNC_SLACK_MS;
        Optional<Long> streaming = e.phase(Phase.OLD_PRIMARY_STREAMING);
        if (streaming.isEmpty()) {
            return notMeasured(name, e.oldPrimary() + " was not rejoined while the API was slow (it needs the FLIP on "
                    + e.writer() + ")");
        }
        long from = e.events().first("pgflip_watch_sync_degraded", e.writer(), e.faultMs())
                .map(ClusterEvents.Event::atMs).orElse(e.faultMs());
        return e.events().first("pgflip_watch_sync_enabled", e.writer(), from)
                .map(s -> new Check(name, s.atMs() - streaming.get() <= limit, e.oldPrimary() + " streaming at "
                        + e.at(streaming.get()) + ", synchronous replication enabled on " + e.writer() + " at "
                        + e.at(s.atMs()) + " (" + (s.atMs() - streaming.get()) + " ms later, limit " + limit + " ms)"))
                .orElse(new Check(name, false, e.oldPrimary() + " streaming at " + e.at(streaming.get())
                        + ", synchronous replication not enabled again on " + e.writer() + " by the end"));
    }

    private static Check notMeasured(String name, String why) {
        return new Check(name, false, "not measured: " + why);
    }

    private static String orNone(String node) {
        return node == null ? "no node" : node;
    }
}
