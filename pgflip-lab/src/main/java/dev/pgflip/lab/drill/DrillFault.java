package dev.pgflip.lab.drill;

import dev.pgflip.lab.Lab;
import dev.pgflip.lab.LabException;
import dev.pgflip.lab.LabFaults;
import dev.pgflip.lab.Progress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What a drill does to the cluster and what it expects: which node the fault hits (by the role it has when the run
 * starts), how, and which outcome must follow. Faults on the standby or the witness must not cause a failover: the
 * primary keeps the floating IP and, with synchronous replication degraded after its grace period, keeps writing.
 * The API faults kill the primary while the DigitalOcean API misbehaves; failback fails over three times in one run.
 * The faults of issue 13 follow: partitions that leave the primary in touch with part of the cluster, a primary that
 * comes back from the dead with old data, a CDC stream beside the standby, the witness lost after a failover, a short
 * link blip, a short freeze, a freeze that ends as the failover starts, and a slow API. A planned switchover (issue 16) moves the primary role on purpose. With two standbys, the
 * most advanced must win, and a partial partition that healed must not leave repmgrd unable to fail over. A standby
 * promoted by hand, around repmgr and the hook, must not leave two primaries acknowledging writes. A primary that
 * freezes while the standbys' repmgrd wait on its answer must still be replaced. Their own
 * checks ({@link FaultChecks}) come on top of the ones every fault has.
 */
public enum DrillFault {
    KILL("primary", Outcome.FAILOVER),
    FREEZE("primary", Outcome.FAILOVER),
    LINK_DOWN("primary", Outcome.FAILOVER),
    FREEZE_MID_QUERY("primary", Outcome.FAILOVER),
    PARTITION("primary", Outcome.FAILOVER),
    STANDBY_DOWN("standby", Outcome.STAYS),
    WITNESS_DOWN("witness", Outcome.STAYS),
    API_429("primary", Outcome.FAILOVER),
    API_500("primary", Outcome.FAILOVER),
    API_DOWN("primary", Outcome.FAILOVER),
    FAILBACK("primary", Outcome.FAILOVER),
    PAIR_PARTITION("primary", Outcome.EITHER),
    WITNESS_PARTITION("primary", Outcome.STAYS),
    STALE_RESTART("primary", Outcome.FAILOVER),
    STALE_RESTART_BY_HAND("primary", Outcome.FAILOVER),
    CDC_STREAM("standby", Outcome.STAYS),
    WITNESS_AFTER_FAILOVER("primary", Outcome.FAILOVER),
    BLIP("primary", Outcome.STAYS),
    BRIEF_FREEZE("primary", Outcome.STAYS),
    THAW_AT_ELECTION("primary", Outcome.EITHER),
    API_SLOW("primary", Outcome.FAILOVER),
    SWITCHOVER("primary", Outcome.FAILOVER),
    STANDBY_BEHIND("primary", Outcome.FAILOVER, 2),
    PAIR_HEAL_KILL("primary", Outcome.FAILOVER, 2),
    HAND_PROMOTE("standby", Outcome.FAILOVER);

    /** {@code --fault all}. */
    public static final String ALL = "all";

    /** Who must be the writable primary once the fault has played out. */
    public enum Outcome {
        /** A standby is promoted (repmgr's choice, the most advanced) and takes the floating IP. */
        FAILOVER,
        /** The primary keeps its role and the floating IP: no promotion. */
        STAYS,
        /**
         * Either nothing is promoted (the primary stays), or the old primary is fenced before the standby is writable
         * (the standby takes over): decided by what happened, the writer being the node that holds the role at the end.
         */
        EITHER
    }

    private final String targetRole;
    private final Outcome outcome;
    /** The fewest standbys the fault can be played with ({@code lab up --standbys N}). */
    private final int minStandbys;

    DrillFault(String targetRole, Outcome outcome) {
        this(targetRole, outcome, 1);
    }

    DrillFault(String targetRole, Outcome outcome, int minStandbys) {
        this.targetRole = targetRole;
        this.outcome = outcome;
        this.minStandbys = minStandbys;
    }

    /**
     * {@link #parseList(String)} for a lab with {@code standbys} standbys: {@code all} leaves out the faults that need
     * more, and naming one of them is an error that says how to make such a lab.
     */
    public static List<DrillFault> parseList(String text, int standbys) {
        List<DrillFault> faults = parseList(text);
        if (text.strip().equalsIgnoreCase(ALL)) {
            return faults.stream().filter(f -> f.minStandbys <= standbys).toList();
        }
        for (DrillFault fault : faults) {
            if (fault.minStandbys > standbys) {
                throw new LabException("fault '" + fault.cliName() + "' needs a lab with " + fault.minStandbys
                        + " or more standbys, this one has " + standbys + ": run './pgflip lab up --standbys "
                        + fault.minStandbys + "' first");
            }
        }
        return faults;
    }

    public static DrillFault parse(String text) {
        for (DrillFault f : values()) {
            if (f.cliName().equals(text.strip().toLowerCase(Locale.ROOT))) {
                return f;
            }
        }
        throw new LabException("unknown fault '" + text + "': expected one of " + names() + " or " + ALL);
    }

    /** {@code all}, one fault, or a comma-separated list (in the order given, each at most once). */
    public static List<DrillFault> parseList(String text) {
        if (text.strip().equalsIgnoreCase(ALL)) {
            return List.of(values());
        }
        List<DrillFault> faults = new ArrayList<>();
        for (String name : text.split(",")) {
            if (name.isBlank()) {
                continue;
            }
            DrillFault fault = parse(name);
            if (faults.contains(fault)) {
                throw new LabException("fault '" + fault.cliName() + "' is listed twice in '" + text + "'");
            }
            faults.add(fault);
        }
        if (faults.isEmpty()) {
            throw new LabException("no fault given: expected one of " + names() + " or " + ALL);
        }
        return faults;
    }

    public static String names() {
        return Arrays.stream(values()).map(DrillFault::cliName).collect(Collectors.joining(", "));
    }

    public String cliName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The role ("primary", "standby", "witness") of the node this fault hits. */
    public String targetRole() {
        return targetRole;
    }

    public Outcome outcome() {
        return outcome;
    }

    /** Whether a standby must be promoted (the run waits for writes on one and for the FLIP to answer from it). */
    public boolean expectsFailover() {
        return outcome == Outcome.FAILOVER;
    }

    /** What injects this fault on the lab, for a run that starts from {@code start} (failback's single hop is a kill). */
    FaultScenario scenario(Lab lab, FaultSettings settings, RunStart start, Progress progress) {
        return switch (this) {
            case KILL, FAILBACK -> new NodeFaultScenario(lab, LabFaults.Fault.KILL);
            // Nothing may move: watched long enough for a wrong failover to show (repmgrd needs ~2 s to start one).
            case STANDBY_DOWN, WITNESS_DOWN -> new NodeFaultScenario(lab, LabFaults.Fault.KILL, 5_000);
            case FREEZE -> new NodeFaultScenario(lab, LabFaults.Fault.FREEZE);
            case FREEZE_MID_QUERY -> new FreezeMidQueryScenario(lab, progress, start);
            case LINK_DOWN -> new NodeFaultScenario(lab, LabFaults.Fault.LINK_DOWN);
            case PARTITION -> new PartitionScenario(lab);
            case API_429 -> new ApiErrorsScenario(lab, 429, settings.apiErrors());
            case API_500 -> new ApiErrorsScenario(lab, 500, settings.apiErrors());
            case API_DOWN -> new ApiOutageScenario(lab, settings.apiOutage());
            case PAIR_PARTITION -> new CutScenario(lab, start.standby(), CutScenario.PAIR_HOLD_MS);
            case WITNESS_PARTITION -> new CutScenario(lab, start.witness(), CutScenario.WITNESS_HOLD_MS);
            case STALE_RESTART -> new StaleRestartScenario(lab, progress, start, true);
            case STALE_RESTART_BY_HAND -> new StaleRestartScenario(lab, progress, start, false);
            case CDC_STREAM -> new CdcStreamScenario(lab, start);
            case WITNESS_AFTER_FAILOVER -> new WitnessAfterFailoverScenario(lab, start);
            case BLIP -> new BlipScenario(lab);
            case BRIEF_FREEZE -> new BriefFreezeScenario(lab);
            case THAW_AT_ELECTION -> new ThawAtElectionScenario(lab, start);
            case API_SLOW -> new ApiSlowScenario(lab, start, settings.apiLatency());
            case SWITCHOVER -> new SwitchoverScenario(lab, start);
            case STANDBY_BEHIND -> new StandbyBehindScenario(lab, start);
            case PAIR_HEAL_KILL -> new PairHealKillScenario(lab, progress, start);
            case HAND_PROMOTE -> new HandPromoteScenario(lab, progress);
        };
    }
}
