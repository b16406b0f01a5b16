package dev.pgflip.lab.drill;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The drill's report: {@code index.html}, one self-contained page (inline CSS and SVG, no script, no external
 * resource, so it opens from a CI artifact or a mail attachment), and {@code drill.json}, the {@link DrillResult}
 * (one fault) or {@link DrillSuite} (several) it was drawn from.
 *
 * <pre>{@code
 * DrillReport.ReportFiles files = DrillReport.write(result, Path.of("report"));
 * System.out.println("report: " + files.html().toAbsolutePath());
 * }</pre>
 */
public final class DrillReport {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
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
     * Writes {@code dir/index.html} and {@code dir/drill.json} for one fault, creating {@code dir} if needed.
     *
     * @throws UncheckedIOException naming the file that could not be written
     */
    public static ReportFiles write(DrillResult result, Path dir) {
        return write(dir, toJson(result), html(result));
    }

    /** The same for several faults: {@code drill.json} holds {@code {"faults":[…]}}. */
    public static ReportFiles write(DrillSuite suite, Path dir) {
        return write(dir, toJson(suite), html(suite));
    }

    private static ReportFiles write(Path dir, String json, String page) {
        Path html = dir.resolve("index.html");
        Path data = dir.resolve("drill.json");
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the report directory " + dir.toAbsolutePath(), e);
        }
        writeFile(data, json);
        writeFile(html, page);
        return new ReportFiles(html, data);
    }

    /** The result as pretty-printed JSON: what {@code drill.json} and {@code --json FILE} hold for one fault. */
    public static String toJson(DrillResult result) {
        return json(result);
    }

    /** {@code {"faults":[…]}}: what {@code drill.json} and {@code --json FILE} hold for several faults. */
    public static String toJson(DrillSuite suite) {
        return json(suite);
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the drill result as JSON", e);
        }
    }

    /** The whole page for one fault. */
    static String html(DrillResult result) {
        String title = "pgflip failover drill: " + result.fault() + ", " + FaultSection.date(FaultSection.runs(result));
        HtmlWriter html = page(title);
        FaultSection.verdict(html, result.summary() != null && result.summary().passed(),
                FaultSection.runsAndStacks(result));
        new FaultSection(html, 2, "").write(result);
        return html.close("body").close("html").newline().toString();
    }

    /** The whole page for several faults: an overview table, then one section per fault. */
    static String html(DrillSuite suite) {
        List<RunResult> first = suite.faults().isEmpty() ? List.of() : FaultSection.runs(suite.faults().get(0));
        String title = "pgflip failover drill: " + suite.faults().size() + " faults, " + FaultSection.date(first);
        HtmlWriter html = page(title);
        FaultSection.verdict(html, suite.passed(), "faults: " + String.join(", ",
                suite.faults().stream().map(DrillResult::fault).toList()) + "; every time is measured from the fault.");
        html.element("h2", "Faults");
        ReportTables.faults(html, suite.faults());
        for (DrillResult result : suite.faults()) {
            html.open("section", "id", "fault-" + result.fault()).newline();
            html.element("h2", "Fault: " + result.fault());
            FaultSection.verdict(html, result.summary() != null && result.summary().passed(),
                    FaultSection.runsAndStacks(result));
            new FaultSection(html, 3, result.fault() + "-").write(result);
            html.close("section").newline();
        }
        return html.close("body").close("html").newline().toString();
    }

    private static HtmlWriter page(String title) {
        HtmlWriter html = new HtmlWriter();
        html.raw("<!DOCTYPE html>\n").open("html", "lang", "en").newline().open("head")
                .empty("meta", "charset", "utf-8")
                .empty("meta", "name", "viewport", "content", "width=device-width, initial-scale=1")
                .element("title", title).open("style").raw(CSS).close("style").close("head").newline();
        return html.open("body").element("h1", title);
    }

    private static void writeFile(Path file, String content) {
        try {
            Files.writeString(file, content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file.toAbsolutePath(), e);
        }
    }
}
