package dev.pgflip.lab;

import dev.pgflip.lab.net.SilentPartition;
import dev.pgflip.lab.process.Pids;
import java.util.Locale;

/** Faults injected into one node, and their undoing; the cluster's reaction is left entirely to repmgrd. */
public final class LabFaults {

    public enum Fault {
        KILL, FREEZE, LINK_DOWN, PARTITION;

        public static Fault parse(String text) {
            for (Fault f : values()) {
                if (f.cliName().equals(text.toLowerCase(Locale.ROOT))) {
                    return f;
                }
            }
            throw new LabException("unknown fault '" + text + "': expected kill, freeze, link-down or partition");
        }

        public String cliName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    private final Lab lab;

    public LabFaults(Lab lab) {
        this.lab = lab;
    }

    /**
     * kill: SIGKILL to the postmaster and every child, as a host crash would (killing only the postmaster leaves its
     * backends serving). freeze: SIGSTOP to the same set (a hung host). link-down: the node's only link goes down.
     * partition: the node is cut off from the other nodes but the application still reaches it ({@link SilentPartition}).
     */
    public void inject(Fault fault, LabNode node) {
        switch (fault) {
            case KILL -> Pids.signal(lab.commands(), postmaster(node), "KILL");
            case FREEZE -> Pids.signal(lab.commands(), postmaster(node), "STOP");
            case LINK_DOWN -> lab.network().setLink(node, false);
            case PARTITION -> new SilentPartition(lab.commands(), lab.topology()).isolate(node);
        }
    }

    /** Undoes freeze, link-down and partition; a killed node is brought back by rejoining it, not by heal. */
    public void heal(LabNode node) {
        lab.postgres(node).postmasterPid().ifPresent(pid -> Pids.signal(lab.commands(), pid, "CONT"));
        lab.network().setLink(node, true);
        new SilentPartition(lab.commands(), lab.topology()).heal(node);
    }

    private long postmaster(LabNode node) {
        return lab.postgres(node).postmasterPid().orElseThrow(() -> new LabException(
                node.name() + " has no running postmaster (already killed?): see 'pgflip lab status'"));
    }
}
