package dev.pgflip.lab.drill;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * The report's part for one fault: its summary with the checks, the client stacks side by side, and a section per
 * run with its chart and timeline. A single-fault page puts it under the page title; a page of several faults gives
 * each its own section one heading level down, with ids prefixed by the fault so the inline SVGs stay apart.
 */
final class FaultSection {
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private final HtmlWriter html;
    private final int level;
    private final String idPrefix;

    /**
     * @param level the heading level of the fault's own parts (2 on a single-fault page)
     * @param idPrefix prepended to element ids ("" on a single-fault page)
     */
    FaultSection(HtmlWriter html, int level, String idPrefix) {
        this.html = html;
        this.level = level;
        this.idPrefix = idPrefix;
    }

    /** The verdict line: whether every check held, the runs, the stacks. */
    static void verdict(HtmlWriter html, boolean passed, String meta) {
        html.open("p").element("span", passed ? "\u2714 all checks held" : "\u2718 a check failed",
                "class", "verdict " + (passed ? "pass" : "fail"));
        html.element("span", "  " + meta, "class", "meta");
        html.close("p").newline();
    }

    static String runsAndStacks(DrillResult result) {
        int runs = runs(result).size();
        return runs + (runs == 1 ? " run" : " runs") + ", client stacks: " + String.join(", ", clients(result))
                + "; every time is measured from the fault.";
    }

    void write(DrillResult result) {
        List<String> clients = clients(result);
        if (result.summary() != null) {
            html.element(h(0), "Summary");
            ReportTables.summary(html, result.summary());
            html.element(h(0), "Client stacks side by side");
            ReportTables.clients(html, clients, result.summary().clients(), result.summary().runs());
        }
        for (RunResult run : runs(result)) {
            runSection(run, clients);
        }
    }

    private void runSection(RunResult run, List<String> clients) {
        html.open("section", "id", idPrefix + "run-" + run.run()).newline();
        String change = run.newPrimary().equals(run.oldPrimary()) ? run.oldPrimary() + " still primary"
                : run.newPrimary() + " promoted";
        if (run.hops() != null) {
            change = run.hops().size() + " failovers, " + run.newPrimary() + " primary at the end";
        }
        html.element(h(0), "Run " + run.run() + ": " + run.fault() + " of " + run.faultNode() + ", " + change
                + " (fault at " + date(run.faultAt()) + ")");
        ReportTables.runFacts(html, run);
        if (run.checks() != null && !run.checks().isEmpty()) {
            html.element(h(1), "Checks of this fault");
            ReportTables.runChecks(html, run.checks());
        }
        if (run.hops() != null) {
            html.element(h(1), "Failovers (hops)");
            ReportTables.hops(html, run.hops());
        }
        html.raw(new SvgChart(idPrefix + "run" + run.run(), run, clients).render()).newline();
        html.element(h(1), "Timeline");
        ReportTables.timeline(html, Milestone.numbered(run.timeline()));
        if (run.clients() != null && !run.clients().isEmpty()) {
            html.element(h(1), "Client stacks in this run");
            ReportTables.runClients(html, clients.isEmpty() ? List.copyOf(run.clients().keySet()) : clients,
                    run.clients());
        }
        html.close("section").newline();
    }

    private String h(int deeper) {
        return "h" + Math.min(6, level + deeper);
    }

    static List<String> clients(DrillResult result) {
        return result.clients() == null ? List.of() : result.clients();
    }

    static List<RunResult> runs(DrillResult result) {
        return result.runs() == null ? List.of() : result.runs();
    }

    static String date(List<RunResult> runs) {
        return runs.isEmpty() ? HtmlWriter.NONE : date(runs.get(0).faultAt());
    }

    /** An ISO instant as a UTC date and time; anything else as it is. */
    static String date(String instant) {
        if (instant == null) {
            return HtmlWriter.NONE;
        }
        try {
            return DATE.format(Instant.parse(instant));
        } catch (DateTimeParseException e) {
            return instant;
        }
    }
}
