package dev.pgflip.lab.cli;

import dev.pgflip.lab.Lab;
import dev.pgflip.lab.LabNode;
import dev.pgflip.lab.LabTopology;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "env", mixinStandardHelpOptions = true,
        description = {"Print shell exports for programs that use the lab.", "  eval \"$(./pgflip lab env)\"",
            "",
            "DIGITALOCEAN_API_URL is HTTPS; trust the lab's CA, PGFLIP_DO_CA_FILE, for it",
            "(curl reads the header from a file: the token never shows in ps):",
            "  curl --cacert \"$PGFLIP_DO_CA_FILE\" -H @<(printf \\",
            "    'Authorization: Bearer %%s\\n' \"$(cat \"$PGFLIP_DO_TOKEN_FILE\")\") \\",
            "    \"$DIGITALOCEAN_API_URL/v2/floating_ips\""})
public final class LabEnvCommand implements Callable<Integer> {
    @Mixin
    LabOptions options;

    @Override
    public Integer call() {
        Lab lab = options.lab();
        LabTopology t = lab.topology();
        String readHosts = t.dataNodes().stream()
                .sorted((a, b) -> a.initialRole().compareTo(b.initialRole()) * -1)
                .map(n -> n.address() + ":" + LabNode.PORT).collect(Collectors.joining(","));
        System.out.println("export PGHOST=" + t.flipIp());
        System.out.println("export PGPORT=" + LabNode.PORT);
        System.out.println("export PGDATABASE=postgres");
        System.out.println("export PGUSER=" + Lab.APP_USER);
        System.out.println("export PGFLIP_WRITE=" + t.flipIp() + ":" + LabNode.PORT);
        System.out.println("export PGFLIP_READ=" + readHosts);
        System.out.println("export PGFLIP_LAB_DIR=" + lab.layout().root());
        System.out.println("export PGPASSFILE=" + lab.layout().pgpass());
        System.out.println("export DIGITALOCEAN_API_URL=" + t.apiUrl());
        System.out.println("export PGFLIP_DO_CA_FILE=" + lab.layout().caCertificate());
        System.out.println("export PGFLIP_DO_TOKEN_FILE=" + lab.layout().tokenFile());
        System.out.println("export PGFLIP_DO_METADATA_URL=" + t.metadataUrl());
        return 0;
    }
}
