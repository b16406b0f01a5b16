package dev.pgflip.agent.cli;

import dev.pgflip.agent.ExitCode;
import dev.pgflip.agent.flip.FlipConsole;
import dev.pgflip.agent.flip.FlipOutput;
import dev.pgflip.agent.time.Deadline;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code pgflip flip status}. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show the floating IP: region, holder droplet id and name, locked.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:shown", "2:configuration or token error, or untrusted API certificate", "3:API error or timeout",
            "4:token rejected (401) or without the read scope (403)"})
final class FlipStatusCommand implements Callable<Integer> {
    @Mixin
    FlipOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        FlipConsole console = FlipConsole.fromConfig(options.config.file, Environment.current());
        spec.commandLine().getOut().println(FlipOutput.render(console.status(Deadline.after(options.timeout)), options.output));
        return ExitCode.OK.code();
    }
}
