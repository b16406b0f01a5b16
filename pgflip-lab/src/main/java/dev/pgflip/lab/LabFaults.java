package dev.pgflip.lab;

import dev.pgflip.lab.net.SilentPartition;
import dev.pgflip.lab.process.Pids;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Faults injected into one node (or between two), and their undoing; the cluster's reaction is left to repmgrd. */
public final class LabFaults {

    public enum Fault {
        KILL, FREEZE, LINK_DOWN, PARTITION, CUT, RESTART;

        public static Fault parse(String text) {
            for (Fault f : values()) {
                if (f.cliName().equals(text.toLowerCase(Locale.ROOT))) {
                    return f;
                }
            }
            throw new LabException("unknown fault '" + text + "': expected one of "
                    + Arrays.stream(values()).map(Fault::cliName).collect(Collectors.joining(", ")));
        }

        public String cliName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        /** Whether the fault is between two nodes ({@link #cut}) rather than on one. */
        public boolean needsPeer() {
            return this == CUT;
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
     * restart: {@link #restart}. A cut needs two nodes: {@link #cut}.
     */
    public void inject(Fault fault, LabNode node) {
        switch (fault) {
            case KILL -> Pids.signal(lab.commands(), postmaster(node), "KILL");
            case FREEZE -> Pids.signal(lab.commands(), postmaster(node), "STOP");
            case LINK_DOWN -> lab.network().setLink(node, false);
            case PARTITION -> new SilentPartition(lab.commands(), lab.topology()).isolate(node);
            case RESTART -> restart(node);
            case CUT -> throw new IllegalArgumentException("cut is between two nodes: give the second one");
        }
    }

    /**
     * Cuts two nodes off from each other, silently, while both still reach every other node and the application
     * reach both ({@link SilentPartition#cut}); {@link #heal} of either undoes it.
     */
    public void cut(LabNode a, LabNode b) {
        new SilentPartition(lab.commands(), lab.topology()).cut(a, b);
    }

    /**
     * Starts a stopped (e.g. killed) node's PostgreSQL again from its data directory as it is, as the host's reboot
     * would through systemd with the guide's drop-in: {@code pgflip start-guard} first, then PostgreSQL. No rewind:
     * an old primary the guard lets through comes back as a primary on its old timeline; one it stops comes back in
     * recovery under a fence record. repmgrd and {@code pgflip watch} of the node are left as they are (a kill -9 of
     * PostgreSQL does not stop them). Returns the guard's one line.
     */
    public String restart(LabNode node) {
        readyToRestart(node);
        return lab.postgres(node).startGuarded();
    }

    /**
     * The same restart done by hand, past the start guard: {@code pg_ctl start} (or Debian's {@code start.conf} left on
     * {@code auto} at boot). An old primary comes back writable on its old timeline, and only {@code pgflip watch}
     * can fence it.
     */
    public void restartByHand(LabNode node) {
        readyToRestart(node);
        lab.postgres(node).start();
    }

    /** A restart needs the node's PostgreSQL stopped; the lock file a kill -9 left behind goes. */
    private void readyToRestart(LabNode node) {
        lab.postgres(node).postmasterPid().ifPresent(pid -> {
            throw new LabException(node.name() + "'s PostgreSQL is running (postmaster " + pid + "): nothing to restart");
        });
        lab.postgres(node).releaseStaleLock();
    }

    /** Undoes freeze, link-down, partition and cut; a killed node is brought back by rejoining it, not by heal. */
    public void heal(LabNode node) {
        thaw(node);
        lab.network().setLink(node, true);
        new SilentPartition(lab.commands(), lab.topology()).heal(node);
    }

    /** Undoes freeze alone: SIGCONT to the postmaster and every child (nothing when it does not run). */
    public void thaw(LabNode node) {
        lab.postgres(node).postmasterPid().ifPresent(pid -> Pids.signal(lab.commands(), pid, "CONT"));
    }

    private long postmaster(LabNode node) {
        return lab.postgres(node).postmasterPid().orElseThrow(() -> new LabException(
                node.name() + " has no running postmaster (already killed?): see 'pgflip lab status'"));
    }
}
