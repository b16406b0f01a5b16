package dev.pgflip.lab.drill;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * The drill's report: {@code index.html}, one self-contained page (inline CSS and SVG, no script, no external
 * resource, so it opens from a CI artifact or a mail attachment), and {@code drill.json}, the {@link DrillResult}
 * it was drawn from.
 *
 * <pre>{@code
 * DrillReport.ReportFiles files = DrillReport.write(result, Path.of("report"));
 * System.out.println("report: " + files.html().toAbsolutePath());
 * }</pre>
 */
public final class DrillReport {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);
    private static final String CSS = """
            body{font-family:system-ui,'DejaVu Sans',Arial,sans-serif;margin:24px auto;max-width:1240px;color:#1a202c;\
            padding:0 12px}
            h1{font-size:1.6em;margin-bottom:.2em}h2{margin-top:1.6em;border-bottom:2px solid #e2e8f0}
            table{border-collapse:collapse;margin:.6em 0 1.2em}th,td{border:1px solid #cbd5e0;padding:4px 10px;\
            text-align:left;vertical-align:top}thead th{background:#edf2f7}tbody th{font-weight:normal}
            td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
            td.pass{color:#276749;font-weight:bold}td.fail{color:#c53030;font-weight:bold}
            td.error{font-family:monospace;font-size:.85em;max-width:420px;word-break:break-word}
            .verdict{display:inline-block;padding:4px 12px;border-radius:4px;font-weight:bold}
            .verdict.pass{background:#c6f6d5;color:#22543d}.verdict.fail{background:#fed7d7;color:#742a2a}
            .meta{color:#4a5568}ul.facts{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:6px 22px}
            ul.facts .label{color:#4a5568}svg.chart{max-width:100%;height:auto;display:block;margin:.5em 0}
            span.marker{display:inline-block;min-width:1.4em;border:1.5px solid #6b46c1;border-radius:1em;\
            text-align:center;color:#44337a;font-weight:bold;font-size:.85em}
            """;

    private DrillReport() {}

    /** Where the report went. */
    public record ReportFiles(Path html, Path json) {}

    /**
     * Writes {@code dir/index.html} and {@code dir/drill.json}, creating {@code dir} if needed.
     *
     * @throws UncheckedIOException naming the file that could not be written
     */
    public static ReportFiles write(DrillResult result, Path dir) {
        Path html = dir.resolve("index.html");
        Path json = dir.resolve("drill.json");
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the report directory " + dir.toAbsolutePath(), e);
        }
        writeFile(json, toJson(result));
        writeFile(html, html(result));
        return new ReportFiles(html, json);
    }

    /** The result as pretty-printed JSON: what {@code drill.json} and {@code --json FILE} hold. */
    public static String toJson(DrillResult result) {
        try {
            return JSON.writeValueAsString(result);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the drill result as JSON", e);
        }
    }

    /** The whole page. */
    static String html(DrillResult result) {
        List<String> clients = result.clients() == null ? List.of() : result.clients();
        List<RunResult> runs = result.runs() == null ? List.of() : result.runs();
        String title = "pgflip failover drill: " + result.fault() + ", " + date(runs);
        HtmlWriter html = new HtmlWriter();
        html.raw("<!DOCTYPE html>\n").open("html", "lang", "en").newline().open("head")
                .empty("meta", "charset", "utf-8")
                .empty("meta", "name", "viewport", "content", "width=device-width, initial-scale=1")
                .element("title", title).open("style").raw(CSS).close("style").close("head").newline();
        html.open("body").element("h1", title);
        boolean passed = result.summary() != null && ReportTables.passed(result.summary());
        html.open("p").element("span", passed ? "\u2714 all checks held" : "\u2718 a check failed",
                "class", "verdict " + (passed ? "pass" : "fail"));
        html.element("span", "  " + runs.size() + (runs.size() == 1 ? " run" : " runs") + ", client stacks: "
                + String.join(", ", clients) + "; every time is measured from the fault.", "class", "meta");
        html.close("p").newline();
        if (result.summary() != null) {
            html.element("h2", "Summary");
            ReportTables.summary(html, result.summary());
            html.element("h2", "Client stacks side by side");
            ReportTables.clients(html, clients, result.summary().clients(), result.summary().runs());
        }
        for (RunResult run : runs) {
            runSection(html, run, clients);
        }
        return html.close("body").close("html").newline().toString();
    }

    private static void runSection(HtmlWriter html, RunResult run, List<String> clients) {
        html.open("section", "id", "run-" + run.run()).newline();
        html.element("h2", "Run " + run.run() + ": " + run.fault() + " of " + run.oldPrimary() + ", "
                + run.newPrimary() + " promoted (fault at " + date(run.faultAt()) + ")");
        ReportTables.runFacts(html, run);
        html.raw(new SvgChart("run" + run.run(), run, clients).render()).newline();
        html.element("h3", "Timeline");
        ReportTables.timeline(html, Milestone.numbered(run.timeline()));
        if (run.clients() != null && !run.clients().isEmpty()) {
            html.element("h3", "Client stacks in this run");
            ReportTables.runClients(html, clients.isEmpty() ? List.copyOf(run.clients().keySet()) : clients,
                    run.clients());
        }
        html.close("section").newline();
    }

    private static String date(List<RunResult> runs) {
        return runs.isEmpty() ? HtmlWriter.NONE : date(runs.get(0).faultAt());
    }

    /** An ISO instant as a UTC date and time; anything else as it is. */
    private static String date(String instant) {
        if (instant == null) {
            return HtmlWriter.NONE;
        }
        try {
            return DATE.format(Instant.parse(instant));
        } catch (DateTimeParseException e) {
            return instant;
        }
    }

    private static void writeFile(Path file, String content) {
        try {
            Files.writeString(file, content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file.toAbsolutePath(), e);
        }
    }
}
