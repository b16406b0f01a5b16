package dev.pgflip.lab.cli;

import dev.pgflip.agent.cli.DoctorOptions;
import dev.pgflip.agent.doctor.DoctorOutput;
import dev.pgflip.lab.LabDoctor;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = {
            "Run 'pgflip doctor' on a lab node, as it runs there.",
            "",
            "The installed package's /usr/bin/pgflip, in the node's namespace, as postgres,",
            "with the node's own /etc/pgflip/agent.yaml and /etc/repmgr.conf. The same as",
            "'pgflip doctor --lab NODE';",
            "see 'pgflip doctor --help' for the checks. Exit code: the number of failed",
            "checks."
        })
public final class LabDoctorNodeCommand implements Callable<Integer> {
    @Mixin
    LabOptions options;

    @Parameters(index = "0", paramLabel = "NODE", description = "n1, n2 or n3 (n4, n5 on a lab up with --standbys 2 or 3)")
    String node;

    @Option(names = {"-o", "--output"}, paramLabel = "text|json", defaultValue = "text",
            converter = DoctorOptions.FormatConverter.class, description = "Output format. Default: ${DEFAULT-VALUE}.")
    DoctorOutput.Format output;

    @Override
    public Integer call() {
        return new LabDoctor(options.lab()).run(node, output);
    }
}
