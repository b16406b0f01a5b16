package dev.pgflip.lab.drill;

import dev.pgflip.lab.Lab;
import dev.pgflip.lab.LabException;
import dev.pgflip.lab.LabFaults;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What a drill does to the cluster and what it expects: which node the fault hits (by the role it has when the run
 * starts), how, and whether a failover must follow. Faults on the standby or the witness must not cause one: the
 * primary keeps the floating IP and, with synchronous replication degraded after its grace period, keeps writing.
 * The API faults kill the primary while the DigitalOcean API misbehaves; failback fails over three times in one run.
 */
public enum DrillFault {
    KILL("primary", true),
    FREEZE("primary", true),
    LINK_DOWN("primary", true),
    PARTITION("primary", true),
    STANDBY_DOWN("standby", false),
    WITNESS_DOWN("witness", false),
    API_429("primary", true),
    API_500("primary", true),
    API_DOWN("primary", true),
    FAILBACK("primary", true);

    /** {@code --fault all}. */
    public static final String ALL = "all";

    private final String targetRole;
    private final boolean failover;

    DrillFault(String targetRole, boolean failover) {
        this.targetRole = targetRole;
        this.failover = failover;
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

    public boolean expectsFailover() {
        return failover;
    }

    /** What injects this fault on the lab (failback's single hop is a kill). */
    FaultScenario scenario(Lab lab, FaultSettings settings) {
        return switch (this) {
            case KILL, FAILBACK -> new NodeFaultScenario(lab, LabFaults.Fault.KILL);
            // Nothing may move: watched long enough for a wrong failover to show (repmgrd needs ~2 s to start one).
            case STANDBY_DOWN, WITNESS_DOWN -> new NodeFaultScenario(lab, LabFaults.Fault.KILL, 5_000);
            case FREEZE -> new NodeFaultScenario(lab, LabFaults.Fault.FREEZE);
            case LINK_DOWN -> new NodeFaultScenario(lab, LabFaults.Fault.LINK_DOWN);
            case PARTITION -> new PartitionScenario(lab);
            case API_429 -> new ApiErrorsScenario(lab, 429, settings.apiErrors());
            case API_500 -> new ApiErrorsScenario(lab, 500, settings.apiErrors());
            case API_DOWN -> new ApiOutageScenario(lab, settings.apiOutage());
        };
    }
}
