package dev.pgflip.lab.drill;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

class DrillReportTest {
    private static final String NASTY = "repmgrd <detected> \"n1\" down & gone";

    @Test
    void writesIndexAndJsonIntoTheDirectoryItCreates(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("nested/report");
        DrillReport.ReportFiles files = DrillReport.write(DrillSamples.small(NASTY), dir);

        assertThat(files.html()).isEqualTo(dir.resolve("index.html")).isRegularFile();
        assertThat(files.json()).isEqualTo(dir.resolve("drill.json")).isRegularFile();
        assertThat(Files.readString(files.json())).contains("\n  \"fault\" : \"kill\"");
    }

    @Test
    void drillJsonReadsBackAsAnEqualResult(@TempDir Path tmp) throws Exception {
        DrillResult result = DrillSamples.realistic(2);
        DrillReport.ReportFiles files = DrillReport.write(result, tmp);

        DrillResult back = new ObjectMapper().readValue(files.json().toFile(), DrillResult.class);
        assertThat(back).isEqualTo(result);
        assertThat(Files.readString(files.json())).contains("\"write_unavailable_ms\"", "\"ratio_to_first\"")
                .doesNotContain("\"buckets\"");
    }

    @Test
    void thePageIsWellFormedXmlAndEveryChartParses() throws Exception {
        String html = DrillReport.html(DrillSamples.realistic(3));

        parse(html);
        List<String> svgs = svgs(html);
        assertThat(svgs).hasSize(3);
        for (String svg : svgs) {
            assertThat(parse(svg).getDocumentElement().getNamespaceURI()).isEqualTo("http://www.w3.org/2000/svg");
        }
    }

    @Test
    void thePageIsSelfContained() {
        String html = DrillReport.html(DrillSamples.realistic(1));

        assertThat(html.replace("xmlns=\"http://www.w3.org/2000/svg\"", "")).doesNotContain("http:", "https:", "//");
        assertThat(html).doesNotContainIgnoringCase("<script").doesNotContain("<link", "@import", "@font-face");
        assertThat(html.replaceAll("url\\(#run\\d+-failed\\)", "")).doesNotContain("url(");
    }

    @Test
    void summaryShowsTheFiguresWithPassMarks() {
        String html = DrillReport.html(DrillSamples.small(NASTY));

        assertThat(html).contains("pgflip failover drill: kill, 2026-11-03 14:02:11 UTC");
        assertThat(html).contains(">180 ms / 180 ms<", ">120 ms<", ">130 ms<", ">150 ms<", ">60<");
        assertThat(html).contains("lost acknowledged writes</th><td class=\"num\">0</td><td class=\"pass\">\u2714 pass");
        assertThat(html).contains("FLIP holder correct after every run</th><td class=\"num\">yes</td><td class=\"pass\">");
        assertThat(html).contains("\u2714 all checks held");
    }

    @Test
    void aLostWriteOrAWrongFlipHolderFailsTheChecks() {
        DrillResult ok = DrillSamples.small("detected");
        RunResult run = ok.runs().get(0);
        RunResult bad = new RunResult(1, "kill", "n1", "n1", "n2", run.faultAt(), run.writeUnavailableMs(),
                run.readUnavailableMs(), run.promotedMs(), run.flipMovedMs(), null, 60, 2, false, 1, 0, run.writableTicks(), run.timeline(),
                run.clients(), run.series(), null, null, null, null, null);

        String html = DrillReport.html(DrillResult.of("kill", ok.clients(), List.of(bad)));

        assertThat(html).contains("lost acknowledged writes</th><td class=\"num\">2</td><td class=\"fail\">\u2718 FAIL");
        assertThat(html).contains("FLIP holder correct after every run</th><td class=\"num\">no</td><td class=\"fail\">");
        assertThat(html).contains("\u2718 a check failed").doesNotContain("all checks held");
    }

    @Test
    void clientStacksStandSideBySideWithTheirRatioToTheFirst() {
        String html = DrillReport.html(DrillSamples.realistic(3));

        assertThat(html).contains("<th>ratio to pgflip</th>");
        // pgflip 1687/1724/1761 ms and hikari 4374/4448/4522 ms: medians 1724 and 4448, 4448 / 1724 = 2.58
        assertThat(html).contains("<th scope=\"row\">pgflip</th><td class=\"num\">1724 ms</td><td class=\"num\">1761 ms</td>");
        assertThat(html).contains("<th scope=\"row\">hikari</th><td class=\"num\">4448 ms</td><td class=\"num\">4522 ms</td>");
        assertThat(html).contains(">1.00\u00d7<", ">2.58\u00d7<");
    }

    @Test
    void eventNamesAndErrorsAreEscapedEverywhere() throws Exception {
        String html = DrillReport.html(DrillSamples.small(NASTY));

        assertThat(html).doesNotContain(NASTY, "<detected>", "<the database");
        assertThat(html).contains("repmgrd &lt;detected&gt; &quot;n1&quot; down &amp; gone");
        assertThat(html).contains("FATAL: &lt;the database system is shutting down&gt; &amp; &quot;more&quot;");
        Document svg = parse(svgs(html).get(0));
        NodeList titles = svg.getElementsByTagNameNS("*", "title");
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < titles.getLength(); i++) {
            texts.add(titles.item(i).getTextContent());
        }
        assertThat(texts).anyMatch(t -> t.contains(NASTY));
    }

    @Test
    void unmeasuredTimesShowAsADash() {
        String html = DrillReport.html(DrillSamples.small(NASTY));

        assertThat(html).contains("promote_command called \u2192 FLIP moved (median)</th><td class=\"num\">\u2014</td>");
        assertThat(html).contains("<td>first write OK (hikari)</td><td class=\"num\">\u2014</td><td>client</td>");
        assertThat(html).contains("<th scope=\"row\">hikari</th><td class=\"num\">\u2014</td>");
        assertThat(html).doesNotContain("null");
    }

    @Test
    void theTimelineIsNumberedInTimeOrderWithOffsetsAndSources() {
        String html = DrillReport.html(DrillSamples.small("detected"));

        assertThat(html).contains("<span class=\"marker\">1</span></td><td>fault injected (kill n1)</td>"
                + "<td class=\"num\">+0 ms</td><td>drill</td>");
        assertThat(html).contains("<span class=\"marker\">2</span></td><td>detected</td>"
                + "<td class=\"num\">+95 ms</td><td>repmgr event hook</td>");
        assertThat(html).contains("<span class=\"marker\">6</span></td><td>first write OK (hikari)</td>");
    }

    @Test
    void barHeightsFollowTheSeries() throws Exception {
        DrillResult result = DrillSamples.small(NASTY);
        RunResult.Series pgflip = result.runs().get(0).series().get("pgflip");
        RunResult.Series hikari = result.runs().get(0).series().get("hikari");
        Document svg = parse(svgs(DrillReport.html(result)).get(0));

        List<Element> bars = new ArrayList<>();
        NodeList rects = svg.getElementsByTagNameNS("*", "rect");
        for (int i = 0; i < rects.getLength(); i++) {
            Element rect = (Element) rects.item(i);
            if (rect.hasAttribute("data-kind")) {
                bars.add(rect);
            }
        }
        assertThat(bars).hasSize(nonZero(pgflip.writesOk(), pgflip.writesFailed(), pgflip.readsOk(), pgflip.readsFailed())
                + nonZero(hikari.writesOk(), hikari.writesFailed(), hikari.readsOk(), hikari.readsFailed()));
        double pxPerCall = -1;
        for (Element bar : bars) {
            RunResult.Series s = result.runs().get(0).series().get(bar.getAttribute("data-client"));
            int[] values = switch (bar.getAttribute("data-kind")) {
                case "writes_ok" -> s.writesOk();
                case "writes_failed" -> s.writesFailed();
                case "reads_ok" -> s.readsOk();
                case "reads_failed" -> s.readsFailed();
                default -> throw new AssertionError(bar.getAttribute("data-kind"));
            };
            int count = values[Integer.parseInt(bar.getAttribute("data-bucket"))];
            assertThat(Integer.parseInt(bar.getAttribute("data-count"))).isEqualTo(count);
            double perCall = Double.parseDouble(bar.getAttribute("height")) / count;
            if (pxPerCall < 0) {
                pxPerCall = perCall;
            }
            assertThat(perCall).as("height per call of %s", bar.getAttribute("data-kind")).isCloseTo(pxPerCall,
                    org.assertj.core.data.Offset.offset(0.06));
        }
        assertThat(svg.getDocumentElement().getTextContent()).contains("\u22120.2 s", "0 s", "+0.3 s");
    }

    @Test
    void milestonesCloseTogetherTakeSeparateLanes() {
        int[] lanes = Milestone.lanes(new double[] {100, 110, 115, 150, 400, 405}, 22);

        assertThat(lanes).containsExactly(0, 1, 2, 0, 0, 1);
    }

    private static int nonZero(int[]... arrays) {
        int n = 0;
        for (int[] values : arrays) {
            for (int v : values) {
                n += v == 0 ? 0 : 1;
            }
        }
        return n;
    }

    private static List<String> svgs(String html) {
        List<String> svgs = new ArrayList<>();
        Matcher m = Pattern.compile("<svg[ >].*?</svg>", Pattern.DOTALL).matcher(html);
        while (m.find()) {
            svgs.add(m.group());
        }
        return svgs;
    }

    private static Document parse(String xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        return factory.newDocumentBuilder().parse(new InputSource(new StringReader(xml)));
    }
}
