package dev.pgflip.lab.drill;

import static dev.pgflip.lab.drill.HtmlWriter.coord;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One run's calls per 100 ms as an inline SVG: a panel of writes and a panel of reads per client stack, sharing
 * the time axis (seconds from the fault) and the count scale so stacks compare at a glance. Successful calls are
 * solid blue bars, failed ones red with white hatching stacked on top (still apart in greyscale), and the timeline
 * milestones are dashed vertical lines with numbered markers, staggered in lanes when close together.
 *
 * <p>Every bar carries {@code data-client}, {@code data-kind} ({@code writes_ok}, {@code writes_failed},
 * {@code reads_ok}, {@code reads_failed}), {@code data-bucket} and {@code data-count}; empty buckets draw nothing.
 */
final class SvgChart {
    static final String OK_COLOUR = "#2b6cb0";
    static final String FAILED_COLOUR = "#c53030";
    private static final int WIDTH = 1200;
    private static final int LEFT = 56;
    private static final int RIGHT = 32;
    private static final int LANE_HEIGHT = 22;
    private static final int PANEL_TITLE = 22;
    private static final int PANEL_HEIGHT = 78;
    private static final int PANEL_GAP = 10;
    private static final int BOTTOM = 78;
    private static final double MARKER_GAP = 22;
    private static final double MIN_FAILED_WIDTH = 4;

    private final String id;
    private final List<Panel> panels;
    private final List<Milestone> milestones;
    private final double fromMs;
    private final double toMs;
    private final int yMax;
    private final int yStep;

    /** One row of the chart: a client's writes or reads, with the figure shown at its top right. */
    private record Panel(String client, String kind, int[] ok, int[] failed, long startMs, long bucketMs, String note) {
        int total(int i) {
            return at(ok, i) + at(failed, i);
        }

        int buckets() {
            return Math.max(ok == null ? 0 : ok.length, failed == null ? 0 : failed.length);
        }
    }

    /**
     * @param id unique in the page (run number): pattern ids of several inline SVGs share one document
     */
    SvgChart(String id, RunResult run, List<String> clientOrder) {
        this.id = id;
        this.panels = panels(run, clientOrder);
        this.milestones = Milestone.numbered(run.timeline());
        this.fromMs = panels.stream().mapToDouble(Panel::startMs).min().orElse(0);
        this.toMs = Math.max(fromMs + 100, panels.stream()
                .mapToDouble(p -> p.startMs() + (double) p.buckets() * p.bucketMs())
                .max().orElse(1000));
        int highest = 1;
        for (Panel p : panels) {
            for (int i = 0; i < p.buckets(); i++) {
                highest = Math.max(highest, p.total(i));
            }
        }
        this.yStep = niceStep(highest / 3.0);
        this.yMax = (int) Math.ceil((double) highest / yStep) * yStep;
    }

    private static List<Panel> panels(RunResult run, List<String> clientOrder) {
        Map<String, RunResult.Series> series = run.series() == null ? Map.of() : run.series();
        List<String> names = new ArrayList<>(clientOrder.stream().filter(series::containsKey).toList());
        series.keySet().stream().filter(n -> !names.contains(n)).forEach(names::add);
        List<Panel> panels = new ArrayList<>();
        for (String name : names) {
            RunResult.Series s = series.get(name);
            RunResult.ClientResult c = run.clients() == null ? null : run.clients().get(name);
            panels.add(new Panel(name, "writes", s.writesOk(), s.writesFailed(), s.startMs(), s.bucketMs(),
                    "writes unavailable " + HtmlWriter.millis(c == null ? null : c.writeUnavailableMs())));
            panels.add(new Panel(name, "reads", s.readsOk(), s.readsFailed(), s.startMs(), s.bucketMs(),
                    "longest gap between reads " + HtmlWriter.millis(c == null ? null : c.readUnavailableMs())));
        }
        return panels;
    }

    String render() {
        double[] xs = milestones.stream().filter(this::onChart).mapToDouble(m -> x(m.entry().atMs())).toArray();
        int[] lanes = Milestone.lanes(xs, MARKER_GAP);
        int laneCount = 1;
        for (int lane : lanes) {
            laneCount = Math.max(laneCount, lane + 1);
        }
        int top = laneCount * LANE_HEIGHT + 8;
        int plotBottom = top + panels.size() * (PANEL_TITLE + PANEL_HEIGHT + PANEL_GAP);
        int height = plotBottom + BOTTOM;

        HtmlWriter svg = new HtmlWriter();
        svg.open("svg", "xmlns", "http://www.w3.org/2000/svg", "viewBox", "0 0 " + WIDTH + " " + height,
                "width", String.valueOf(WIDTH), "height", String.valueOf(height), "class", "chart",
                "font-family", "system-ui, 'DejaVu Sans', Arial, sans-serif", "font-size", "12", "role", "img");
        svg.element("title", "calls per 100 ms across the failover, seconds from the fault");
        defs(svg);
        List<Double> ticks = xTicks();
        for (int i = 0; i < panels.size(); i++) {
            panel(svg, panels.get(i), panelTop(top, i), ticks);
        }
        xAxis(svg, ticks, plotBottom - PANEL_GAP);
        milestoneLines(svg, lanes, plotBottom - PANEL_GAP);
        // Titles last, on a white halo: a milestone line crossing a title must not make it unreadable.
        for (int i = 0; i < panels.size(); i++) {
            panelTitle(svg, panels.get(i), panelTop(top, i));
        }
        legend(svg, plotBottom + 40);
        return svg.close("svg").toString();
    }

    private void defs(HtmlWriter svg) {
        svg.open("defs").open("pattern", "id", id + "-failed", "width", "6", "height", "6",
                "patternUnits", "userSpaceOnUse", "patternTransform", "rotate(45)");
        svg.empty("rect", "width", "6", "height", "6", "fill", FAILED_COLOUR);
        svg.empty("line", "x1", "1", "y1", "0", "x2", "1", "y2", "6", "stroke", "#ffffff", "stroke-width", "2");
        svg.close("pattern").close("defs");
    }

    private static int panelTop(int top, int index) {
        return top + index * (PANEL_TITLE + PANEL_HEIGHT + PANEL_GAP) + PANEL_TITLE;
    }

    private static void panelTitle(HtmlWriter svg, Panel p, int y0) {
        svg.element("text", p.client() + " \u00b7 " + p.kind(), "x", String.valueOf(LEFT), "y", String.valueOf(y0 - 7),
                "font-weight", "bold", "stroke", "#ffffff", "stroke-width", "4", "paint-order", "stroke");
        svg.element("text", p.note(), "x", String.valueOf(WIDTH - RIGHT), "y", String.valueOf(y0 - 7),
                "text-anchor", "end", "fill", "#444", "stroke", "#ffffff", "stroke-width", "4", "paint-order", "stroke");
    }

    private void panel(HtmlWriter svg, Panel p, int y0, List<Double> ticks) {
        int base = y0 + PANEL_HEIGHT;
        svg.empty("rect", "x", String.valueOf(LEFT), "y", String.valueOf(y0), "width", coord(plotWidth()),
                "height", String.valueOf(PANEL_HEIGHT), "fill", "#fafafa", "stroke", "#bbb");
        for (int v = 0; v <= yMax; v += yStep) {
            String y = coord(base - (double) v / yMax * PANEL_HEIGHT);
            svg.empty("line", "x1", String.valueOf(LEFT), "x2", coord(LEFT + plotWidth()), "y1", y, "y2", y,
                    "stroke", "#e2e2e2");
            svg.element("text", String.valueOf(v), "x", String.valueOf(LEFT - 6), "y", y, "text-anchor", "end",
                    "dominant-baseline", "middle", "fill", "#444", "font-size", "11");
        }
        for (double t : ticks) {
            svg.empty("line", "x1", coord(x(t)), "x2", coord(x(t)), "y1", String.valueOf(y0), "y2", String.valueOf(base),
                    "stroke", t == 0 ? "#333" : "#e2e2e2", "stroke-width", t == 0 ? "1.5" : "1");
        }
        double bucketWidth = plotWidth() * p.bucketMs() / (toMs - fromMs);
        double gap = bucketWidth > 4 ? 1 : 0;
        for (int i = 0; i < p.buckets(); i++) {
            double x = x(p.startMs() + (double) i * p.bucketMs()) + gap / 2;
            int ok = at(p.ok(), i);
            double okHeight = (double) ok / yMax * PANEL_HEIGHT;
            bar(svg, p, "ok", i, ok, x, bucketWidth - gap, base - okHeight, okHeight, OK_COLOUR);
            int failed = at(p.failed(), i);
            double failedHeight = (double) failed / yMax * PANEL_HEIGHT;
            // A lone failure in a long run would be a 2 px sliver whose hatching cannot show: widen it, centred.
            double failedWidth = Math.max(bucketWidth - gap, MIN_FAILED_WIDTH);
            bar(svg, p, "failed", i, failed, x + (bucketWidth - gap - failedWidth) / 2, failedWidth,
                    base - okHeight - failedHeight, failedHeight, "url(#" + id + "-failed)");
        }
    }

    private static void bar(HtmlWriter svg, Panel p, String outcome, int bucket, int count, double x, double width,
            double y, double height, String fill) {
        if (count == 0) {
            return;
        }
        svg.empty("rect", "class", "bar " + outcome, "data-client", p.client(), "data-kind", p.kind() + "_" + outcome,
                "data-bucket", String.valueOf(bucket), "data-count", String.valueOf(count), "x", coord(x),
                "y", coord(y), "width", coord(width), "height", coord(height), "fill", fill);
    }

    private void xAxis(HtmlWriter svg, List<Double> ticks, int axisY) {
        for (double t : ticks) {
            svg.empty("line", "x1", coord(x(t)), "x2", coord(x(t)), "y1", String.valueOf(axisY),
                    "y2", String.valueOf(axisY + 5), "stroke", "#333");
            svg.element("text", seconds(t), "x", coord(x(t)), "y", String.valueOf(axisY + 18), "text-anchor", "middle",
                    "fill", "#222");
        }
        svg.element("text", "seconds from the fault (bars: calls ending in each 100 ms)", "x",
                coord(LEFT + plotWidth() / 2), "y", String.valueOf(axisY + 36), "text-anchor", "middle", "fill", "#222");
    }

    private void milestoneLines(HtmlWriter svg, int[] lanes, int bottom) {
        int drawn = 0;
        for (Milestone m : milestones) {
            if (!onChart(m)) {
                continue;
            }
            String x = coord(x(m.entry().atMs()));
            double cy = lanes[drawn++] * LANE_HEIGHT + LANE_HEIGHT / 2.0 + 2;
            svg.open("g", "class", "milestone", "data-number", String.valueOf(m.number()));
            svg.element("title", m.number() + ". " + m.entry().event() + " at " + HtmlWriter.millis(m.entry().atMs()));
            svg.empty("line", "x1", x, "x2", x, "y1", coord(cy + 9), "y2", String.valueOf(bottom), "stroke", "#6b46c1",
                    "stroke-width", "1.2", "stroke-dasharray", "5 3");
            svg.empty("circle", "cx", x, "cy", coord(cy), "r", "9", "fill", "#ffffff", "stroke", "#6b46c1",
                    "stroke-width", "1.5");
            svg.element("text", String.valueOf(m.number()), "x", x, "y", coord(cy + 4), "text-anchor", "middle",
                    "font-size", "11", "font-weight", "bold", "fill", "#44337a");
            svg.close("g");
        }
    }

    private void legend(HtmlWriter svg, int y) {
        int x = LEFT;
        svg.empty("rect", "x", String.valueOf(x), "y", String.valueOf(y), "width", "14", "height", "14", "fill", OK_COLOUR);
        svg.element("text", "successful calls", "x", String.valueOf(x + 20), "y", String.valueOf(y + 11));
        x += 150;
        svg.empty("rect", "x", String.valueOf(x), "y", String.valueOf(y), "width", "14", "height", "14",
                "fill", "url(#" + id + "-failed)");
        svg.element("text", "failed calls", "x", String.valueOf(x + 20), "y", String.valueOf(y + 11));
        x += 130;
        svg.empty("line", "x1", String.valueOf(x), "x2", String.valueOf(x + 22), "y1", String.valueOf(y + 7),
                "y2", String.valueOf(y + 7), "stroke", "#6b46c1", "stroke-width", "1.2", "stroke-dasharray", "5 3");
        svg.element("text", "numbered milestone (see the timeline below)", "x", String.valueOf(x + 28),
                "y", String.valueOf(y + 11));
        x += 330;
        svg.empty("line", "x1", String.valueOf(x), "x2", String.valueOf(x + 22), "y1", String.valueOf(y + 7),
                "y2", String.valueOf(y + 7), "stroke", "#333", "stroke-width", "1.5");
        svg.element("text", "the fault (0 s)", "x", String.valueOf(x + 28), "y", String.valueOf(y + 11));
        List<String> off = milestones.stream().filter(m -> m.entry().atMs() != null && !onChart(m))
                .map(m -> String.valueOf(m.number())).toList();
        if (!off.isEmpty()) {
            svg.element("text", "outside the chart: " + String.join(", ", off), "x", String.valueOf(WIDTH - RIGHT),
                    "y", String.valueOf(y + 11), "text-anchor", "end", "fill", "#444");
        }
    }

    private boolean onChart(Milestone m) {
        Long at = m.entry().atMs();
        return at != null && at >= fromMs && at <= toMs;
    }

    /** Ticks every 0.1, 0.2, 0.5, 1, 2, 5, 10 or 30 s, whichever gives at most about 16 labels across the run. */
    private List<Double> xTicks() {
        double span = toMs - fromMs;
        double step = 30_000;
        for (double candidate : new double[] {100, 200, 500, 1_000, 2_000, 5_000, 10_000, 30_000}) {
            if (span / candidate <= 16) {
                step = candidate;
                break;
            }
        }
        List<Double> ticks = new ArrayList<>();
        for (double t = Math.ceil(fromMs / step) * step; t <= toMs; t += step) {
            ticks.add(t);
        }
        return ticks;
    }

    static String seconds(double ms) {
        if (ms == 0) {
            return "0 s";
        }
        String value = ms % 1000 == 0 ? Long.toString(Math.abs((long) ms) / 1000)
                : String.format(Locale.ROOT, "%.1f", Math.abs(ms) / 1000);
        return (ms < 0 ? "\u2212" : "+") + value + " s";
    }

    /** The smallest 1, 2 or 5 times a power of ten at or above {@code rough} (at least 1: counts are whole). */
    static int niceStep(double rough) {
        int power = 1;
        while (true) {
            for (int m : new int[] {1, 2, 5}) {
                if (m * power >= rough) {
                    return m * power;
                }
            }
            power *= 10;
        }
    }

    private double plotWidth() {
        return WIDTH - LEFT - RIGHT;
    }

    private double x(double ms) {
        return LEFT + (ms - fromMs) / (toMs - fromMs) * plotWidth();
    }

    private static int at(int[] values, int i) {
        return values != null && i < values.length ? values[i] : 0;
    }
}
