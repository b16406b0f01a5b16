package dev.pgflip.agent.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code pgflip flip}: the parent of status, assign and unassign. */
@Command(
        name = "flip",
        mixinStandardHelpOptions = true,
        description = {
            "Inspect or move the floating IP by hand, like doctl.",
            "",
            "Calls the DigitalOcean API, so it needs the flip and digitalocean sections of",
            "the config whatever flip.provider says.",
        },
        subcommands = {FlipStatusCommand.class, FlipAssignCommand.class, FlipUnassignCommand.class})
final class FlipCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing subcommand: status, assign or unassign.");
    }
}
