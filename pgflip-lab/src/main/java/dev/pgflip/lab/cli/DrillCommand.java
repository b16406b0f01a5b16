package dev.pgflip.lab.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.pgflip.lab.EmulatorProcess;
import dev.pgflip.lab.Lab;
import dev.pgflip.lab.LabException;
import dev.pgflip.lab.Progress;
import dev.pgflip.lab.drill.ClientStack;
import dev.pgflip.lab.drill.ClientStacks;
import dev.pgflip.lab.drill.CpuHog;
import dev.pgflip.lab.drill.Drill;
import dev.pgflip.lab.drill.DrillFault;
import dev.pgflip.lab.drill.DrillReport;
import dev.pgflip.lab.drill.DrillResult;
import dev.pgflip.lab.drill.DrillSuite;
import dev.pgflip.lab.drill.FaultSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "drill", mixinStandardHelpOptions = true,
        description = {
            "Measure failovers on the lab under a steady load.",
            "",
            "The lab must be up (./pgflip lab up).",
            "Each run: writer and reader threads per client stack, the fault, repmgrd and",
            "the agent left to react, then the figures from the clients' records, the",
            "events file and the emulator. A probe also writes directly to every data node",
            "every 100 ms: two nodes acknowledging writes in the same tick count as 'dual",
            "writable'. Between runs the old primary is healed and rejoined as a standby,",
            "so the next run starts healthy.",
            "",
            "Faults (--fault; primary, standby and witness: the roles at the run's start):",
            "  kill          kill -9 of the primary: a failover must follow",
            "  freeze        SIGSTOP of the primary: a failover must follow",
            "  link-down     the primary's link goes down: a failover must follow",
            "  freeze-mid-query  SIGSTOP of the primary while each standby's repmgrd waits",
            "                for its answer (its backends for them stopped first): pgflip",
            "                watch must end that connection, then a failover must follow",
            "  partition     the primary cut off from the standby and the witness while",
            "                the application still reaches it: a failover must follow and",
            "                the old primary must not take writes any more",
            "  standby-down  kill -9 of the standby: no failover, writes go on",
            "  witness-down  kill -9 of the witness: no failover",
            "  api-429       the DigitalOcean API answers --api-errors 429s (retry-after),",
            "                then kill -9 of the primary: the agent retries in its deadline",
            "  api-500       the same with 500s",
            "  api-down      the API refuses connections from the kill on, for",
            "                --api-down-seconds: the promote hook exits 0 (promoted) and",
            "                pgflip watch on the new primary must move the FLIP within 10 s",
            "                of the API answering again",
            "  failback      kill, failover, rejoin of the old primary, three times back",
            "                and forth in one run under one load",
            "  pair-partition",
            "                the primary and the standby lose each other, silently, for",
            "                30 s (both still reach the witness and the application),",
            "                then heal: nothing is promoted, or the primary is fenced",
            "                before the standby is writable",
            "  witness-partition",
            "                the primary and the witness lose each other, silently, for",
            "                20 s, then heal: nothing changes, writes go on",
            "  stale-restart kill -9 of the primary, failover, kill -9 of the new primary,",
            "                then the first one's PostgreSQL started again on its old",
            "                data (as a reboot would): it takes neither the FLIP nor",
            "                writes",
            "  stale-restart-by-hand",
            "                the same, but started by hand with pg_ctl, past the start",
            "                guard: it comes up writable; pgflip watch must fence it,",
            "                it takes no FLIP and no pgflip-jdbc write (how soon, and",
            "                what other clients wrote there meanwhile, is reported)",
            "  cdc-stream    a pg_receivewal stream from the primary, then kill -9 of",
            "                the standby: writes pause at most degrade_after +",
            "                wal_sender_timeout, then go on",
            "  witness-after-failover",
            "                kill -9 of the primary, failover, then kill -9 of the",
            "                witness: the new primary keeps writing (no self-fence)",
            "  blip          the primary's link down for 800 ms, then up: no failover,",
            "                writes pause less than 2 s",
            "  brief-freeze  SIGSTOP of the primary for 2.5 s, then SIGCONT (a stalled",
            "                host): no failover, no fence, writes pause less than 4.5 s",
            "  thaw-at-election",
            "                SIGSTOP of the primary until the standby's repmgrd wins the",
            "                election, then SIGCONT: its promote hook claims, finds the",
            "                primary back and withdraws; every standby left must have a",
            "                repmgrd that loops again",
            "  api-slow      every API call answered --api-latency-seconds late from",
            "                the kill -9 of the primary on: the FLIP moves while the",
            "                API is slow, the promote hook exits 0, and synchronous",
            "                replication degrades and (the old primary rejoined in the",
            "                run) comes back on time",
            "  switchover    pgflip switchover --to the standby, on the primary, under",
            "                the load: exit 0, no failed call, writes pause < 5 s",
            "  standby-behind  (lab up --standbys 2 or 3) the first standby stops",
            "                streaming, then kill -9 of the primary: a standby that has",
            "                the commits is promoted, not it; it then follows",
            "  pair-heal-kill  (lab up --standbys 2 or 3) before the load, the primary",
            "                and the last standby cut from each other for 12 s, then",
            "                healed; once every standby's repmgrd loops again (pgflip",
            "                watch releases the one stuck in its election's wait),",
            "                kill -9 of the primary under load: a standby is promoted",
            "  hand-promote  pg_ctl promote on the standby while the primary runs",
            "                (around repmgr and the promote hook): the old primary",
            "                acknowledges no write after it and is fenced, the standby",
            "                takes the FLIP; then repmgr primary register --force on it",
            "  all           every fault above in turn, --runs each (standby-behind and",
            "                pair-heal-kill only on a lab with 2 or more standbys)",
            "",
            "With 2 or more standbys every failover adds the check standbys_follow: each",
            "standby not promoted streams from the new primary within 30 s.",
            "",
            "Client stacks (--clients, side by side against the same faults; the first is",
            "the reference):",
            "  pgflip     pgflip-jdbc ClusterDataSource: writes through the floating IP",
            "             (straight to the promoted node until the IP has moved), reads",
            "             from standbys",
            "  hikari     plain HikariCP + pgjdbc: writes on the floating IP, reads over",
            "             [standby, primary] (the seed app)",
            "  multihost  pgjdbc targetServerType=primary on the node list, no floating IP",
            "",
            "At the end it writes the report (--report DIR, default report/):",
            "  index.html  one self-contained page: the summary and its checks, the stacks",
            "              side by side, and per run a chart of calls per 100 ms with the",
            "              timeline marked on it (several faults: an overview first, then",
            "              a section per fault)",
            "  drill.json  the same results as JSON (also --json FILE):",
            "              one fault:      {\"fault\":\"kill\",\"runs\":[...],\"summary\":{...}}",
            "              several faults: {\"faults\":[ one such document per fault ]}",
            "",
            "Exit status 0 only if every check held: no acknowledged write lost, the FLIP",
            "on the right node after every run, never two writable nodes at once, every",
            "injected API error met, the FLIP back within 10 s of the API's return, and",
            "the fault's own checks above (each run's \"checks\" in the JSON).",
            "",
            "Examples:",
            "  ./pgflip drill --fault kill --runs 5 --clients pgflip,hikari,multihost",
            "  ./pgflip drill --fault all --runs 3 --json out.json",
            "  ./pgflip drill --fault blip --runs 5 --cpu-hog 2"
        })
public final class DrillCommand implements Callable<Integer> {
    @Mixin
    LabOptions options;

    @Option(names = "--fault", defaultValue = "kill", paramLabel = "FAULT[,FAULT...]|all",
            description = {"One fault, a comma-separated list, or all (see above). Default: ${DEFAULT-VALUE}"})
    String fault;

    @Option(names = "--runs", defaultValue = "1", description = "Runs per fault (default: ${DEFAULT-VALUE})")
    int runs;

    @Option(names = "--clients", defaultValue = "pgflip", split = ",",
            description = "Client stacks, comma-separated (default: ${DEFAULT-VALUE})")
    List<String> clients;

    @Option(names = "--api-errors", paramLabel = "N", defaultValue = "" + FaultSettings.DEFAULT_API_ERRORS,
            description = "api-429 / api-500: error answers injected right before the kill (default: ${DEFAULT-VALUE})")
    int apiErrors;

    @Option(names = "--api-down-seconds", paramLabel = "S", defaultValue = "60",
            description = "api-down: how long the API refuses connections from the kill on; longer than the promote"
                    + " hook's 20 s deadline, so the hook hands the move to pgflip watch (default: ${DEFAULT-VALUE})")
    int apiDownSeconds;

    @Option(names = "--api-latency-seconds", paramLabel = "S", defaultValue = "8",
            description = "api-slow: how late the API answers every call, from the kill until the run has seen the"
                    + " failover through (default: ${DEFAULT-VALUE})")
    int apiLatencySeconds;

    @Option(names = "--api-action-ms", paramLabel = "MS",
            description = "How long the emulator's assign actions stay in progress during this drill (DigitalOcean's"
                    + " take seconds; the lab's default is 250 ms, set back afterwards), 0 to 60000")
    Integer apiActionMs;

    @Option(names = "--cpu-hog", paramLabel = "N", defaultValue = "0",
            description = "Run N busy processes (yes > /dev/null, each in its own session) for the whole drill:"
                    + " the faults on a loaded machine, where the agent, repmgrd and the hooks wait for the CPU"
                    + " (0 to " + CpuHog.MAX + ", default: ${DEFAULT-VALUE})")
    int cpuHog;

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
        if (apiActionMs != null && (apiActionMs < 0 || apiActionMs > 60_000)) {
            throw new LabException("--api-action-ms " + apiActionMs + " is out of range: give 0 to 60000");
        }
        CpuHog.checkCount(cpuHog);
        Lab lab = options.lab();
        List<DrillFault> faults = DrillFault.parseList(fault, lab.topology().standbys().size());
        try (CpuHog hog = CpuHog.start(lab.commands(), lab.layout().cpuHogPids(), cpuHog)) {
            if (hog.count() > 0) {
                System.out.println("CPU hog: " + hog.count() + " busy processes (yes) run during this drill");
            }
            if (apiActionMs == null) {
                return drill(lab, faults);
            }
            lab.emulatorApi().actionDelay(Duration.ofMillis(apiActionMs));
            System.out.println("DigitalOcean API emulator: assign actions take " + apiActionMs + " ms during this drill");
            try {
                return drill(lab, faults);
            } finally {
                lab.emulatorApi().actionDelay(EmulatorProcess.DEFAULT_ACTION_DELAY);
            }
        }
    }

    private int drill(Lab lab, List<DrillFault> faults) throws Exception {
        FaultSettings settings = new FaultSettings(apiErrors, Duration.ofSeconds(apiDownSeconds),
                Duration.ofSeconds(apiLatencySeconds));
        List<Supplier<ClientStack>> stacks = new ArrayList<>();
        for (String client : clients) {
            stacks.add(ClientStacks.named(lab, client));
        }
        Drill drill = new Drill(lab, new Progress(System.out), settings);
        ObjectMapper summaries = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        if (faults.size() == 1) {
            DrillResult result = drill.run(faults.get(0), runs, clients, stacks, false, true);
            System.out.println(summaries.writeValueAsString(result.summary()));
            finish(DrillReport.toJson(result), DrillReport.write(result, report));
            return result.summary().passed() ? 0 : 1;
        }
        // Written after every fault, so a long drill leaves its results so far even if a later fault breaks the lab.
        DrillSuite suite = drill.runAll(faults, runs, clients, stacks, soFar -> {
            writeJson(DrillReport.toJson(soFar));
            DrillReport.write(soFar, report);
        });
        for (DrillResult result : suite.faults()) {
            System.out.println(result.fault() + ": " + summaries.writeValueAsString(result.summary()));
        }
        finish(DrillReport.toJson(suite), DrillReport.write(suite, report));
        return suite.passed() ? 0 : 1;
    }

    private void finish(String jsonText, DrillReport.ReportFiles files) {
        if (json != null) {
            writeJson(jsonText);
            System.out.println("results: " + json.toAbsolutePath());
        }
        System.out.println("report: " + files.html().toAbsolutePath());
        System.out.println("data:   " + files.json().toAbsolutePath());
    }

    private void writeJson(String jsonText) {
        if (json == null) {
            return;
        }
        try {
            Files.writeString(json, jsonText);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + json.toAbsolutePath(), e);
        }
    }
}
