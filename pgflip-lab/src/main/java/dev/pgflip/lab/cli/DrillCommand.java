package dev.pgflip.lab.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.pgflip.lab.Lab;
import dev.pgflip.lab.drill.DrillFault;
import dev.pgflip.lab.LabException;
import dev.pgflip.lab.Progress;
import dev.pgflip.lab.drill.ClientStack;
import dev.pgflip.lab.drill.ClientStacks;
import dev.pgflip.lab.drill.Drill;
import dev.pgflip.lab.drill.DrillReport;
import dev.pgflip.lab.drill.DrillResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "drill", mixinStandardHelpOptions = true,
        description = {
            "Measure failovers on the lab (which must be up: ./pgflip lab up) under a steady load.",
            "",
            "Each run: writer and reader threads per client stack, the fault on the current primary, repmgrd and the",
            "agent left to fail over, then the figures from the clients' records, the events file and the emulator.",
            "Between runs the old primary is rejoined as a standby, so the next run starts healthy.",
            "",
            "Client stacks (--clients, compared in the same drill against the same faults; the first is the reference):",
            "  pgflip     pgflip-jdbc ClusterDataSource: writes through the floating IP, reads from standbys",
            "  hikari     plain HikariCP + pgjdbc: writes on the floating IP, reads over [standby, primary] (the seed app)",
            "  multihost  pgjdbc targetServerType=primary on the node list, no floating IP",
            "",
            "At the end it writes the report (--report DIR, default report/):",
            "  index.html  one self-contained page: the summary and its checks, the stacks",
            "              side by side, and per run a chart of calls per 100 ms with the",
            "              timeline marked on it",
            "  drill.json  the same results as JSON",
            "",
            "Example: ./pgflip drill --fault kill --runs 5 --clients hikari,multihost --json out.json"
        })
public final class DrillCommand implements Callable<Integer> {
    @Mixin
    LabOptions options;

    @Option(names = "--fault", defaultValue = "kill",
            description = {"kill, freeze or link-down of the primary (a failover follows); standby-down or",
                "witness-down (kill -9 of that node: no failover may follow). Default: ${DEFAULT-VALUE}"})
    String fault;

    @Option(names = "--runs", defaultValue = "1", description = "Failovers to measure (default: ${DEFAULT-VALUE})")
    int runs;

    @Option(names = "--clients", defaultValue = "pgflip", split = ",",
            description = "Client stacks, comma-separated (default: ${DEFAULT-VALUE})")
    List<String> clients;

    @Option(names = "--json", paramLabel = "FILE", description = "Write the results as JSON to FILE")
    Path json;

    @Option(names = "--report", paramLabel = "DIR", defaultValue = "report",
            description = "Write DIR/index.html (self-contained page with a chart per run) and DIR/drill.json"
                    + " (default: ${DEFAULT-VALUE})")
    Path report;

    @Override
    public Integer call() throws Exception {
        if (runs < 1 || runs > 50) {
            throw new LabException("--runs " + runs + " is out of range: give 1 to 50");
        }
        Lab lab = options.lab();
        DrillFault parsed = DrillFault.parse(fault);
        List<Supplier<ClientStack>> stacks = new ArrayList<>();
        for (String client : clients) {
            stacks.add(ClientStacks.named(lab, client));
        }
        DrillResult result = new Drill(lab, new Progress(System.out)).run(parsed, runs, clients, stacks, false, true);
        if (json != null) {
            Files.writeString(json, DrillReport.toJson(result));
            System.out.println("results: " + json.toAbsolutePath());
        }
        System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(result.summary()));
        DrillReport.ReportFiles files = DrillReport.write(result, report);
        System.out.println("report: " + files.html().toAbsolutePath());
        System.out.println("data:   " + files.json().toAbsolutePath());
        return result.summary().lostAckedWrites() == 0 && result.summary().flipHolderCorrect() ? 0 : 1;
    }
}
