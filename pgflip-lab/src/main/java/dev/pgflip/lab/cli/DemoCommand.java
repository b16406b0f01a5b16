package dev.pgflip.lab.cli;

import dev.pgflip.lab.Lab;
import dev.pgflip.lab.LabDown;
import dev.pgflip.lab.drill.DrillFault;
import dev.pgflip.lab.Progress;
import dev.pgflip.lab.demo.CountriesStep;
import dev.pgflip.lab.demo.DemoChecks;
import dev.pgflip.lab.drill.ClientStacks;
import dev.pgflip.lab.drill.Drill;
import dev.pgflip.lab.drill.DrillReport;
import dev.pgflip.lab.drill.DrillResult;
import dev.pgflip.lab.drill.RunResult;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {
            "Run the demo: the normal case, then a primary failure, measured.",
            "",
            "The seed's two empty sections, done for real on the lab (what 'make demo' runs,",
            "as root):",
            "  1. lab up (a real PostgreSQL 15 + repmgr cluster, the DigitalOcean emulator,",
            "     the floating IP on n1)",
            "  2. Normal situation test: the countries app (Hibernate on pgflip-jdbc) shows",
            "     which node served each statement",
            "  3. A steady load through pgflip-jdbc (writer and reader threads), with a live",
            "     line per second",
            "  4. Primary failure test: kill -9 of the primary; the timeline of the failover",
            "     from its real sources",
            "  5. Checks: no acknowledged write lost, the floating IP on the one writable",
            "     node, the old primary not writable, never two nodes acknowledging writes at",
            "     once (a probe writes to each node every 100 ms)",
            "Writes report/index.html (chart + timeline) and report/drill.json; exits 0 only",
            "if every check held; then lab down unless --keep."
        })
public final class DemoCommand implements Callable<Integer> {
    @Mixin
    LabOptions options;

    @Option(names = "--keep", description = "Leave the lab running afterwards ('./pgflip lab down' removes it).")
    boolean keep;

    @Option(names = "--report", paramLabel = "DIR", defaultValue = "report",
            description = "Where to write index.html and drill.json (default: ${DEFAULT-VALUE})")
    Path report;

    @Option(names = "--countries-jar", paramLabel = "JAR",
            description = "The countries example (default: examples/countries/target/countries.jar of this repository)")
    Path countriesJar;

    @Override
    public Integer call() throws Exception {
        Lab lab = options.lab();
        Progress progress = new Progress(System.out);
        try {
            System.out.println("== 1/5 lab up");
            lab = LabUpCommand.ensureUp(lab, progress, null);

            System.out.println("\n== 2/5 Normal situation test: the countries app on pgflip-jdbc");
            new CountriesStep(lab, countriesJar != null ? countriesJar : defaultCountriesJar()).run(System.out);

            System.out.println("\n== 3/5 steady load through pgflip-jdbc, then 4/5 Primary failure test (kill -9)");
            DrillResult result = new Drill(lab, progress).run(DrillFault.KILL, 1, List.of("pgflip"),
                    List.of(ClientStacks.named(lab, "pgflip")), true, false);
            RunResult run = result.runs().get(0);
            System.out.println("\n   failover timeline (ms from the kill):");
            run.timeline().stream().sorted((a, b) -> Long.compare(
                            a.atMs() == null ? Long.MAX_VALUE : a.atMs(), b.atMs() == null ? Long.MAX_VALUE : b.atMs()))
                    .forEach(t -> System.out.printf("   %8s  %-55s (%s)%n",
                            t.atMs() == null ? "—" : "+" + t.atMs(), t.event(), t.source()));

            System.out.println("\n== 5/5 checks");
            List<DemoChecks.Check> checks = DemoChecks.after(lab, run);
            checks.forEach(c -> System.out.printf("   %s %s: %s%n", c.passed() ? "✓" : "✗", c.name(), c.detail()));
            var files = DrillReport.write(result, report);
            System.out.println("\nreport: " + files.html().toAbsolutePath());
            System.out.println("data:   " + files.json().toAbsolutePath());
            return checks.stream().allMatch(DemoChecks.Check::passed) ? 0 : 1;
        } finally {
            if (keep) {
                System.out.println("lab kept running in " + lab.layout().root() + " ('./pgflip lab down' removes it)");
            } else {
                new LabDown(lab, progress).run();
            }
        }
    }

    /** The repository's own build: this jar is pgflip-lab/target/pgflip.jar. */
    private static Path defaultCountriesJar() {
        Path self = LabUpCommand.JarLocation.current().toAbsolutePath();
        return self.getParent().getParent().getParent().resolve("examples/countries/target/countries.jar");
    }
}
