package dev.pgflip.lab.cli;

import dev.pgflip.agent.cli.DoctorCommand;
import dev.pgflip.agent.cli.DoctorOptions;
import dev.pgflip.lab.Lab;
import dev.pgflip.lab.LabDoctor;
import dev.pgflip.lab.LabLayout;
import dev.pgflip.lab.RecordedTopology;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The launcher's {@code pgflip doctor}: the agent's command, plus {@code --lab NODE}, which runs it as it runs on that
 * lab node. Mounted over the agent's {@code doctor} by {@link #mountOver}, so the agent knows nothing of the lab.
 */
@Command(name = "doctor", mixinStandardHelpOptions = true, sortOptions = false)
public final class LabDoctorCommand implements Callable<Integer> {
    static final String[] LAB_LINES = {
        "",
        "In the lab: --lab NODE runs these checks as they run on that node: the",
        "installed package's /usr/bin/pgflip, inside the node's network namespace",
        "(ip netns exec, which shows the node its own /etc), as postgres, with the",
        "node's /etc/pgflip/agent.yaml and /etc/repmgr.conf. The lab is found in its",
        "directory (--lab-dir, else $" + LabLayout.DIR_ENV + ", else /tmp/pgflip-lab).",
        "  ./pgflip doctor --lab n2          (the same: ./pgflip lab doctor n2)",
    };

    @Mixin
    DoctorOptions options;

    @Option(names = "--lab", paramLabel = "NODE", description = "Check lab node NODE (n1, n2, n3; n4, n5 on a lab with more standbys) instead of this host.")
    String labNode;

    @Option(names = "--lab-dir", paramLabel = "DIR", description = "The lab's state directory, with --lab.")
    Path labDir;

    @Spec
    CommandSpec spec;

    /** Replaces the agent's {@code doctor} on {@code root}, keeping its description and exit codes and adding --lab. */
    static void mountOver(CommandLine root) {
        CommandSpec agent = root.getSubcommands().get("doctor").getCommandSpec();
        root.getCommandSpec().removeSubcommand("doctor");
        CommandLine lab = new CommandLine(new LabDoctorCommand());
        List<String> description = new ArrayList<>(List.of(agent.usageMessage().description()));
        description.addAll(List.of(LAB_LINES));
        lab.getCommandSpec().usageMessage()
                .description(description.toArray(String[]::new))
                .optionListHeading(agent.usageMessage().optionListHeading())
                .exitCodeListHeading(agent.usageMessage().exitCodeListHeading())
                .exitCodeList(agent.usageMessage().exitCodeList());
        root.addSubcommand("doctor", lab);
    }

    @Override
    public Integer call() {
        if (labNode == null) {
            if (labDir != null) {
                throw new ParameterException(spec.commandLine(), "--lab-dir goes with --lab NODE");
            }
            return DoctorCommand.examine(options, spec.commandLine().getOut());
        }
        if (options.configGiven() || options.repmgrConfig().isPresent()) {
            throw new ParameterException(spec.commandLine(),
                    "--lab NODE uses that node's own /etc/pgflip/agent.yaml and /etc/repmgr.conf: leave out --config and --repmgr-config");
        }
        spec.commandLine().getOut().flush();
        return new LabDoctor(new Lab(LabLayout.resolve(labDir), RecordedTopology.read(LabLayout.resolve(labDir)))).run(labNode, options.output());
    }
}
