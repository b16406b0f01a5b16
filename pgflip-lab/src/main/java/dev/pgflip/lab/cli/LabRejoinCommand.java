package dev.pgflip.lab.cli;

import dev.pgflip.lab.Lab;
import dev.pgflip.lab.LabRejoin;
import dev.pgflip.lab.Progress;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "rejoin", mixinStandardHelpOptions = true,
        description = {
            "Rejoin a failed old primary as a standby of the current primary.",
            "",
            "Heal it, stop what is left of it, CHECKPOINT the primary, run",
            "'repmgr node rejoin --force-rewind', restart its repmgrd, wait for streaming.",
            "A standby that streams is left alone; one that streams from nobody is",
            "handed to the agent's pgflip rejoin, which rewinds it when it is on an older",
            "timeline than the primary's."
        })
public final class LabRejoinCommand implements Callable<Integer> {
    @Mixin
    LabOptions options;

    @Parameters(index = "0", paramLabel = "NODE", description = "a data node: n1, n2 (n4, n5 with --standbys)")
    String node;

    @Override
    public Integer call() {
        Lab lab = options.lab();
        new LabRejoin(lab, new Progress(System.out)).run(lab.topology().node(node));
        return 0;
    }
}
