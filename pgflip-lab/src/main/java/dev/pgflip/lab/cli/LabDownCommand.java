package dev.pgflip.lab.cli;

import dev.pgflip.lab.LabDown;
import dev.pgflip.lab.Progress;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "down", mixinStandardHelpOptions = true,
        description = {
            "Remove everything the lab made (safe to run twice).",
            "",
            "Remove every process, namespace, veth, bridge and the state directory the lab",
            "made, by the PIDs and names it recorded; works after a crash or a half-finished",
            "'up' and is safe to run twice."
        })
public final class LabDownCommand implements Callable<Integer> {
    @Mixin
    LabOptions options;

    @Override
    public Integer call() {
        new LabDown(options.lab(), new Progress(System.out)).run();
        return 0;
    }
}
