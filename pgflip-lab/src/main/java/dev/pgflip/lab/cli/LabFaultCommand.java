package dev.pgflip.lab.cli;

import dev.pgflip.lab.Lab;
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
            "Inject a fault into a node:",
            "  kill       kill -9 the postmaster and all its children (a crashed host)",
            "  freeze     SIGSTOP the postmaster and all its children (a hung host; undo with 'heal')",
            "  link-down  take the node's only network link down (undo with 'heal')",
            "  partition  cut the node off from the other nodes, silently (packets dropped, not refused), while the",
            "             application in the root namespace still reaches it (undo with 'heal')"
        })
public final class LabFaultCommand implements Callable<Integer> {
    @Mixin
    LabOptions options;

    @Parameters(index = "0", paramLabel = "FAULT", description = "kill, freeze, link-down or partition")
    String fault;

    @Parameters(index = "1", paramLabel = "NODE", description = "n1, n2 or n3")
    String node;

    @Override
    public Integer call() {
        Lab lab = options.lab();
        Fault parsed = Fault.parse(fault);
        LabNode target = lab.topology().node(node);
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
