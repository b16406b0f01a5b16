package dev.pgflip.lab.cli;

import dev.pgflip.lab.Lab;
import dev.pgflip.lab.LabFaults;
import dev.pgflip.lab.LabNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "heal", mixinStandardHelpOptions = true,
        description = {
            "Undo a freeze, link-down, partition or cut on a node.",
            "",
            "freeze: SIGCONT; link-down: the link up; partition and cut: the neighbour",
            "entries go. A killed node needs a rejoin instead."
        })
public final class LabHealCommand implements Callable<Integer> {
    @Mixin
    LabOptions options;

    @Parameters(index = "0", paramLabel = "NODE", description = "n1, n2 or n3 (n4, n5 on a lab up with --standbys 2 or 3)")
    String node;

    @Override
    public Integer call() {
        Lab lab = options.lab();
        LabNode target = lab.topology().node(node);
        new LabFaults(lab).heal(target);
        System.out.println("healed " + target.name());
        return 0;
    }
}
