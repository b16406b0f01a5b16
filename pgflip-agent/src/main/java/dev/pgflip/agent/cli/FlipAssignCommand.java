package dev.pgflip.agent.cli;

import dev.pgflip.agent.ExitCode;
import dev.pgflip.agent.flip.FlipConsole;
import dev.pgflip.agent.flip.FlipOutput;
import dev.pgflip.agent.time.Deadline;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code pgflip flip assign DROPLET_ID}. */
@Command(name = "assign", mixinStandardHelpOptions = true,
        description = {"Assign the floating IP to a droplet and print the action.",
            "",
            "Like 'doctl compute floating-ip-action assign': returns the action at once;",
            "with --wait, polls the action until it is no longer in-progress."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:action created (with --wait: completed)", "2:configuration or token error, or untrusted API certificate",
            "3:refused, errored or timed out", "4:token rejected (401) or without write scope (403)"})
final class FlipAssignCommand implements Callable<Integer> {
    @Mixin
    FlipOptions options;

    @Parameters(index = "0", paramLabel = "DROPLET_ID", description = "The droplet to assign the IP to.")
    long dropletId;

    @Option(names = "--wait", description = "Wait until the action is no longer in-progress.")
    boolean await;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        FlipConsole console = FlipConsole.fromConfig(options.config.file, Environment.current());
        spec.commandLine().getOut().println(
                FlipOutput.render(console.assign(dropletId, await, Deadline.after(options.timeout)), options.output));
        return ExitCode.OK.code();
    }
}
