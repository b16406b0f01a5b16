package dev.pgflip.lab.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.pgflip.lab.LabStatus;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "status", mixinStandardHelpOptions = true,
        description = {
            "Show each node's role, the floating IP's holder and what the API says.",
            "",
            "Each node's role as the node itself reports it (pg_is_in_recovery() / repmgr),",
            "which namespace's interface carries the floating IP, and which droplet the",
            "DigitalOcean API says holds it."
        })
public final class LabStatusCommand implements Callable<Integer> {
    @Mixin
    LabOptions options;

    @Option(names = "--json", description = "Print JSON: {nodes:[…], flip:{ip, holder}, digitalocean:{…}}.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        LabStatus status = LabStatus.read(options.lab());
        if (json) {
            System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(status));
        } else {
            System.out.print(status.table());
        }
        return 0;
    }
}
