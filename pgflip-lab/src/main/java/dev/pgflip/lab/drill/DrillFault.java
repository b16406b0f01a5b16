package dev.pgflip.lab.drill;

import dev.pgflip.lab.LabException;
import dev.pgflip.lab.LabFaults;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What a drill does to the cluster and what it expects: which node the fault hits (by the role it has when the run
 * starts), how, and whether a failover must follow. Faults on the standby or the witness must not cause one: the
 * primary keeps the floating IP and, with synchronous replication degraded after its grace period, keeps writing.
 */
public enum DrillFault {
    KILL("primary", LabFaults.Fault.KILL, true),
    FREEZE("primary", LabFaults.Fault.FREEZE, true),
    LINK_DOWN("primary", LabFaults.Fault.LINK_DOWN, true),
    STANDBY_DOWN("standby", LabFaults.Fault.KILL, false),
    WITNESS_DOWN("witness", LabFaults.Fault.KILL, false);

    private final String targetRole;
    private final LabFaults.Fault action;
    private final boolean failover;

    DrillFault(String targetRole, LabFaults.Fault action, boolean failover) {
        this.targetRole = targetRole;
        this.action = action;
        this.failover = failover;
    }

    public static DrillFault parse(String text) {
        for (DrillFault f : values()) {
            if (f.cliName().equals(text.toLowerCase(Locale.ROOT))) {
                return f;
            }
        }
        throw new LabException("unknown fault '" + text + "': expected one of " + names());
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

    public LabFaults.Fault action() {
        return action;
    }

    public boolean expectsFailover() {
        return failover;
    }
}
