package dev.pgflip.lab.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "lab", mixinStandardHelpOptions = true,
        description = {
            "Run a PostgreSQL/repmgr cluster and a DigitalOcean API emulator.",
            "",
            "A PostgreSQL 15 + repmgr cluster in network namespaces on this machine, as root:",
            "n1 primary 198.18.0.11, n2 standby 198.18.0.12, n3 witness 198.18.0.13 (with",
            "'lab up --standbys 2' or 3, also n4 .14 and n5 .15 as standbys), the",
            "floating IP 198.18.0.100 on the primary, and a DigitalOcean API v2 emulator that",
            "really moves it: HTTPS on 198.18.0.1:9443 with a certificate of the lab's own CA",
            "(tls/ca.pem in the lab directory), metadata over HTTP on 198.18.0.1:9080.",
            "",
            "Example:",
            "  ./pgflip lab up && ./pgflip lab status",
            "  ./pgflip lab fault kill n1   # repmgrd promotes n2; the agent moves the IP",
            "  ./pgflip lab status --json",
            "  ./pgflip lab down"
        },
        subcommands = {LabUpCommand.class, LabDownCommand.class, LabStatusCommand.class, LabFaultCommand.class,
                LabHealCommand.class, LabRejoinCommand.class, LabDoctorNodeCommand.class, LabEnvCommand.class,
                LabEmulatorCommand.class})
public final class LabCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing lab subcommand: see 'pgflip lab --help'.");
    }
}
