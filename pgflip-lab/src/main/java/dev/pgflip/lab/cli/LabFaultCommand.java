package dev.pgflip.lab.cli;

import dev.pgflip.lab.Lab;
import dev.pgflip.lab.LabException;
import dev.pgflip.lab.LabFaults;
import dev.pgflip.lab.LabFaults.Fault;
import dev.pgflip.lab.LabNode;
import dev.pgflip.lab.net.SilentPartition;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "fault", mixinStandardHelpOptions = true,
        description = {
            "Inject a fault into a node.",
            "",
            "FAULT is one of:",
            "  kill       kill -9 the postmaster and all its children (a crashed host)",
            "  freeze     SIGSTOP the postmaster and all its children (a hung host; undo with",
            "             'heal')",
            "  link-down  take the node's only network link down (undo with 'heal')",
            "  partition  cut the node off from the other nodes, silently (packets dropped,",
            "             not refused), while the application in the root namespace still",
            "             reaches it (undo with 'heal')",
            "  cut        cut NODE and PEER off from each other only, silently: both still",
            "             reach the third node and the application (e.g. 'fault cut n1 n2';",
            "             undo with 'heal' of either)",
            "  restart    start a stopped (killed) node's PostgreSQL again from its data",
            "             directory as a reboot would, through 'pgflip start-guard' as",
            "             the guide's systemd drop-in does: an old primary that cannot show",
            "             it is still the newest comes back in recovery, fenced; one that",
            "             can, as a primary on its timeline (undo with 'rejoin' if another",
            "             node was promoted meanwhile)"
        })
public final class LabFaultCommand implements Callable<Integer> {
    @Mixin
    LabOptions options;

    @Parameters(index = "0", paramLabel = "FAULT", description = "kill, freeze, link-down, partition, cut or restart")
    String fault;

    @Parameters(index = "1", paramLabel = "NODE", description = "n1, n2 or n3 (n4, n5 on a lab up with --standbys 2 or 3)")
    String node;

    @Parameters(index = "2", arity = "0..1", paramLabel = "PEER", description = "cut only: the node NODE loses")
    String peer;

    @Override
    public Integer call() {
        Lab lab = options.lab();
        Fault parsed = Fault.parse(fault);
        LabNode target = lab.topology().node(node);
        if (parsed.needsPeer() != (peer != null)) {
            throw new LabException(parsed.needsPeer() ? "cut needs a second node: pgflip lab fault cut " + node + " PEER"
                    : parsed.cliName() + " takes one node, got a second one: " + peer);
        }
        if (parsed == Fault.CUT) {
            LabNode other = lab.topology().node(peer);
            new LabFaults(lab).cut(target, other);
            System.out.println(Instant.now() + " " + target.name() + " and " + other.name() + " cut off from each other");
            new SilentPartition(lab.commands(), lab.topology()).verifyCut(target, other);
            System.out.println(Instant.now() + " verified: " + target.name() + " and " + other.name() + " get no answer"
                    + " from each other; the other node and the application reach both");
            return 0;
        }
        if (parsed == Fault.RESTART) {
            String guard = new LabFaults(lab).restart(target);
            System.out.println(Instant.now() + " " + target.name() + "'s PostgreSQL started again; start-guard: " + guard);
            return 0;
        }
        new LabFaults(lab).inject(parsed, target);
        System.out.println(Instant.now() + " fault " + parsed.cliName() + " injected into " + target.name());
        if (parsed == Fault.PARTITION) {
            new SilentPartition(lab.commands(), lab.topology()).verify(target);
            System.out.println(Instant.now() + " verified: the other nodes get no answer from " + target.name()
                    + " (nor it from them); the application still does");
        }
        return 0;
    }
}
