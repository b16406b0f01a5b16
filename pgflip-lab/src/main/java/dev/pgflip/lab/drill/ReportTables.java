package dev.pgflip.lab.drill;

import static dev.pgflip.lab.drill.HtmlWriter.NONE;
import static dev.pgflip.lab.drill.HtmlWriter.millis;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The report's tables: the drill summary with its checks, the client stacks side by side, and per run. */
final class ReportTables {
    private ReportTables() {}

    static void summary(HtmlWriter html, DrillResult.Summary s) {
        html.open("table", "class", "summary").open("thead").open("tr");
        html.element("th", "measure").element("th", "value").element("th", "check");
        html.close("tr").close("thead").open("tbody").newline();
        row(html, "runs", String.valueOf(s.runs()));
        row(html, "write unavailability (median / max)",
                millis(s.medianWriteUnavailableMs()) + " / " + millis(s.maxWriteUnavailableMs()));
        row(html, "read unavailability (median)", millis(s.medianReadUnavailableMs()));
        row(html, "standby promoted (median)", millis(s.medianPromotedMs()));
        row(html, "FLIP moved (median)", millis(s.medianFlipMovedMs()));
        row(html, "promote_command called \u2192 FLIP moved (median)", millis(s.medianAgentPromoteToFlipMs()));
        row(html, "acknowledged writes", String.valueOf(s.ackedWrites()));
        checkedRow(html, "lost acknowledged writes", String.valueOf(s.lostAckedWrites()), s.lostAckedWrites() == 0);
        checkedRow(html, "FLIP holder correct after every run", s.flipHolderCorrect() ? "yes" : "no",
                s.flipHolderCorrect());
        checkedRow(html, "two nodes writable at once (direct writes, 100 ms ticks)", s.dualWritableMs() + " ms",
                s.dualWritableMs() == 0);
        if (s.apiErrorsInjected() != null) {
            checkedRow(html, "injected API errors answered to the agent",
                    (s.apiErrorsServed() == null ? NONE : s.apiErrorsServed()) + " of " + s.apiErrorsInjected(),
                    s.apiErrorsAllServed());
        }
        if (s.flipConvergedWithinLimit() != null) {
            checkedRow(html, "API answering again \u2192 FLIP moved (max, limit "
                    + DrillResult.FLIP_CONVERGENCE_LIMIT_MS / 1000 + " s)", millis(s.maxFlipConvergedAfterRestoreMs()),
                    s.flipConvergedInTime());
        }
        s.checks().forEach((name, check) -> checkedRow(html, "check " + name,
                check.passedRuns() + " of " + check.runs() + (check.runs() == 1 ? " run" : " runs"), check.passed()));
        html.close("tbody").close("table").newline();
    }

    /** The fault's own checks in one run, each with the facts it was judged on. */
    static void runChecks(HtmlWriter html, List<RunResult.Check> checks) {
        html.open("table", "class", "checks").open("thead").open("tr");
        html.element("th", "check").element("th", "result").element("th", "judged on");
        html.close("tr").close("thead").open("tbody").newline();
        for (RunResult.Check c : checks) {
            html.open("tr").element("th", c.name(), "scope", "row");
            html.element("td", c.passed() ? "\u2714 pass" : "\u2718 FAIL", "class", c.passed() ? "pass" : "fail");
            html.element("td", c.detail());
            html.close("tr").newline();
        }
        html.close("tbody").close("table").newline();
    }

    /** One row per fault of a several-fault drill: the headline figures and whether its checks held. */
    static void faults(HtmlWriter html, List<DrillResult> faults) {
        html.open("table", "class", "faults").open("thead").open("tr");
        for (String head : List.of("fault", "runs", "write unavailability (median / max)", "acknowledged writes",
                "lost", "two nodes writable", "FLIP holder correct", "checks")) {
            html.element("th", head);
        }
        html.close("tr").close("thead").open("tbody").newline();
        for (DrillResult fault : faults) {
            DrillResult.Summary s = fault.summary();
            html.open("tr").open("th", "scope", "row").open("a", "href", "#fault-" + fault.fault()).text(fault.fault())
                    .close("a").close("th");
            numCell(html, String.valueOf(s.runs()));
            numCell(html, millis(s.medianWriteUnavailableMs()) + " / " + millis(s.maxWriteUnavailableMs()));
            numCell(html, String.valueOf(s.ackedWrites()));
            numCell(html, String.valueOf(s.lostAckedWrites()));
            numCell(html, s.dualWritableMs() + " ms");
            numCell(html, s.flipHolderCorrect() ? "yes" : "no");
            html.element("td", s.passed() ? "\u2714 pass" : "\u2718 FAIL", "class", s.passed() ? "pass" : "fail");
            html.close("tr").newline();
        }
        html.close("tbody").close("table").newline();
    }

    /** The failovers of a failback run, each with the guarantees it is held to. */
    static void hops(HtmlWriter html, List<RunResult.Hop> hops) {
        html.open("table", "class", "hops").open("thead").open("tr");
        for (String head : List.of("hop", "killed", "promoted", "fault at (from the first)", "writes unavailable",
                "promoted after", "FLIP moved after", "old primary rejoined after", "acknowledged", "lost",
                "two nodes writable", "FLIP on the new primary")) {
            html.element("th", head);
        }
        html.close("tr").close("thead").open("tbody").newline();
        for (RunResult.Hop h : hops) {
            html.open("tr").element("th", String.valueOf(h.hop()), "scope", "row");
            html.element("td", h.oldPrimary()).element("td", h.newPrimary());
            numCell(html, "+" + h.faultAtMs() + " ms");
            numCell(html, millis(h.writeUnavailableMs()));
            numCell(html, millis(h.promotedMs()));
            numCell(html, millis(h.flipMovedMs()));
            numCell(html, millis(h.rejoinedMs()));
            numCell(html, String.valueOf(h.ackedWrites()));
            numCell(html, String.valueOf(h.lostAckedWrites()));
            numCell(html, h.dualWritableMs() + " ms");
            numCell(html, h.flipOnNewPrimary() ? "yes" : "no");
            html.close("tr").newline();
        }
        html.close("tbody").close("table").newline();
    }

    /** Write downtime per client stack, and its ratio to the first stack's median (the first is pgflip when it runs). */
    static void clients(HtmlWriter html, List<String> order, Map<String, DrillResult.ClientSummary> clients, int runs) {
        String first = order.isEmpty() ? "the first stack" : order.get(0);
        html.open("table", "class", "clients").open("thead").open("tr");
        for (String head : List.of("client stack", "write downtime (median)", "write downtime (max)",
                "read gap (median)", "recovered runs", "lost acknowledged writes", "ratio to " + first)) {
            html.element("th", head);
        }
        html.close("tr").close("thead").open("tbody").newline();
        for (String name : order) {
            DrillResult.ClientSummary c = clients.get(name);
            if (c == null) {
                continue;
            }
            html.open("tr").element("th", name, "scope", "row");
            numCell(html, millis(c.medianWriteUnavailableMs()));
            numCell(html, millis(c.maxWriteUnavailableMs()));
            numCell(html, millis(c.medianReadUnavailableMs()));
            numCell(html, c.recoveredRuns() + " of " + runs);
            numCell(html, String.valueOf(c.lostAckedWrites()));
            numCell(html, c.ratioToFirst() == null ? NONE : String.format(Locale.ROOT, "%.2f\u00d7", c.ratioToFirst()));
            html.close("tr").newline();
        }
        html.close("tbody").close("table").newline();
    }

    /** The headline figures of one run. */
    static void runFacts(HtmlWriter html, RunResult run) {
        html.open("ul", "class", "facts");
        fact(html, "writes unavailable", millis(run.writeUnavailableMs()));
        fact(html, "read gap", millis(run.readUnavailableMs()));
        fact(html, "promoted", millis(run.promotedMs()));
        fact(html, "FLIP moved", millis(run.flipMovedMs()));
        fact(html, "promote_command \u2192 FLIP moved", millis(run.agentPromoteToFlipMs()));
        fact(html, "acknowledged / lost writes", run.ackedWrites() + " / " + run.lostAckedWrites());
        fact(html, "FLIP on the new primary (and stayed)", run.flipOnNewPrimary() ? "yes" : "no");
        fact(html, "FLIP assignments since the fault", String.valueOf(run.flipMoves()));
        fact(html, "two nodes writable", run.dualWritableMs() + " ms");
        if (run.writableTicks() != null) {
            fact(html, "direct writes acknowledged (100 ms ticks)", run.writableTicks().entrySet().stream()
                    .map(e -> e.getKey() + " " + e.getValue()).collect(java.util.stream.Collectors.joining(", ")));
        }
        if (run.apiErrorsInjected() != null) {
            fact(html, "API errors answered", (run.apiErrorsServed() == null ? NONE : run.apiErrorsServed()) + " of "
                    + run.apiErrorsInjected());
        }
        if (run.apiCallsDelayed() != null) {
            fact(html, "API calls delayed", String.valueOf(run.apiCallsDelayed()));
        }
        if (run.apiRestoredMs() != null) {
            fact(html, "API answering again", millis(run.apiRestoredMs()));
            fact(html, "then FLIP moved after", millis(run.flipConvergedAfterRestoreMs()));
        }
        html.close("ul").newline();
    }

    /** Each stack's own figures in one run, with the first error it saw. */
    static void runClients(HtmlWriter html, List<String> order, Map<String, RunResult.ClientResult> clients) {
        html.open("table", "class", "run-clients").open("thead").open("tr");
        for (String head : List.of("client stack", "writes unavailable", "read gap", "first read OK after a failure",
                "acknowledged", "lost", "failed writes", "failed reads", "first error")) {
            html.element("th", head);
        }
        html.close("tr").close("thead").open("tbody").newline();
        for (String name : order) {
            RunResult.ClientResult c = clients.get(name);
            if (c == null) {
                continue;
            }
            html.open("tr").element("th", name, "scope", "row");
            numCell(html, millis(c.writeUnavailableMs()));
            numCell(html, millis(c.readUnavailableMs()));
            numCell(html, millis(c.firstReadOkMs()));
            numCell(html, String.valueOf(c.ackedWrites()));
            numCell(html, String.valueOf(c.lostAckedWrites()));
            numCell(html, String.valueOf(c.failedWrites()));
            numCell(html, String.valueOf(c.failedReads()));
            html.element("td", c.sampleError() == null ? NONE : c.sampleError(), "class", "error");
            html.close("tr").newline();
        }
        html.close("tbody").close("table").newline();
    }

    /** The milestones with the numbers the chart shows, their offsets from the fault and where each time came from. */
    static void timeline(HtmlWriter html, List<Milestone> milestones) {
        html.open("table", "class", "timeline").open("thead").open("tr");
        html.element("th", "#").element("th", "event").element("th", "from the fault").element("th", "source");
        html.close("tr").close("thead").open("tbody").newline();
        for (Milestone m : milestones) {
            html.open("tr").open("td", "class", "num").open("span", "class", "marker").text(String.valueOf(m.number()))
                    .close("span").close("td");
            html.element("td", m.entry().event());
            numCell(html, m.entry().atMs() == null ? NONE
                    : (m.entry().atMs() >= 0 ? "+" : "\u2212") + Math.abs(m.entry().atMs()) + " ms");
            html.element("td", m.entry().source() == null ? NONE : m.entry().source());
            html.close("tr").newline();
        }
        html.close("tbody").close("table").newline();
    }

    private static void row(HtmlWriter html, String measure, String value) {
        html.open("tr").element("th", measure, "scope", "row");
        numCell(html, value);
        html.element("td", "").close("tr").newline();
    }

    private static void checkedRow(HtmlWriter html, String measure, String value, boolean pass) {
        html.open("tr").element("th", measure, "scope", "row");
        numCell(html, value);
        html.element("td", pass ? "\u2714 pass" : "\u2718 FAIL", "class", pass ? "pass" : "fail");
        html.close("tr").newline();
    }

    private static void fact(HtmlWriter html, String label, String value) {
        html.open("li").element("span", label, "class", "label").text(" ").element("strong", value).close("li");
    }

    private static void numCell(HtmlWriter html, String text) {
        html.element("td", text, "class", "num");
    }
}
