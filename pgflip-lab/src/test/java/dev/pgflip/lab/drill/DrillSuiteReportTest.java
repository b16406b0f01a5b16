package dev.pgflip.lab.drill;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xml.sax.InputSource;

/** The several-fault report ({@code --fault all} or a list): the {@code faults} document and its page. */
class DrillSuiteReportTest {

    @Test
    void drillJsonIsAFaultsDocumentOfSingleFaultDocuments(@TempDir Path tmp) throws Exception {
        DrillSuite suite = DrillSamples.suite();
        DrillReport.ReportFiles files = DrillReport.write(suite, tmp);

        JsonNode json = new ObjectMapper().readTree(files.json().toFile());
        assertThat(json.fieldNames()).toIterable().containsExactly("faults");
        JsonNode kill = json.path("faults").get(0);
        assertThat(kill.path("fault").asText()).isEqualTo("kill");
        assertThat(kill.path("runs").isArray()).isTrue();
        for (String field : List.of("median_write_unavailable_ms", "max_write_unavailable_ms", "acked_writes",
                "lost_acked_writes", "dual_writable_ms", "flip_holder_correct")) {
            assertThat(kill.path("summary").has(field)).as(field).isTrue();
        }
        assertThat(kill.path("summary").has("max_flip_converged_after_restore_ms")).isFalse();
        assertThat(json.path("faults").get(2).path("runs").get(0).path("api_restored_ms").asLong()).isEqualTo(15_040);
        assertThat(json.path("faults").get(3).path("runs").get(0).path("hops")).hasSize(2);
        assertThat(new ObjectMapper().readValue(files.json().toFile(), DrillSuite.class)).isEqualTo(suite);
        assertThat(Files.readString(files.json())).isEqualTo(DrillReport.toJson(suite));
    }

    @Test
    void twoWritableNodesFailTheFaultAndTheDrill() {
        DrillSuite suite = DrillSamples.suite();

        assertThat(suite.faults().get(0).summary().passed()).isTrue();
        assertThat(suite.faults().get(1).summary().dualWritableMs()).isEqualTo(1_200);
        assertThat(suite.faults().get(1).summary().passed()).isFalse();
        assertThat(suite.passed()).isFalse();
        String html = DrillReport.html(suite);
        assertThat(html).contains("two nodes writable at once (direct writes, 100 ms ticks)</th>"
                + "<td class=\"num\">1200 ms</td><td class=\"fail\">\u2718 FAIL");
        assertThat(html).contains("<a href=\"#fault-partition\">partition</a>");
    }

    @Test
    void theApiOutageCheckIsTheFlipMovingWithinTenSecondsOfTheApi() {
        DrillResult kill = DrillSamples.realistic(1);
        DrillResult quick = DrillResult.of("api-down", kill.clients(),
                List.of(DrillSamples.variant(kill, "api-down", 0, null, null, 15_000L, 9_900L, null)));
        DrillResult slow = DrillResult.of("api-down", kill.clients(),
                List.of(DrillSamples.variant(kill, "api-down", 0, null, null, 15_000L, 10_100L, null)));
        DrillResult never = DrillResult.of("api-down", kill.clients(),
                List.of(DrillSamples.variant(kill, "api-down", 0, null, null, 15_000L, null, null)));

        assertThat(quick.summary().passed()).isTrue();
        assertThat(slow.summary().maxFlipConvergedAfterRestoreMs()).isEqualTo(10_100);
        assertThat(slow.summary().passed()).isFalse();
        assertThat(never.summary().flipConvergedWithinLimit()).isFalse();
        assertThat(kill.summary().flipConvergedWithinLimit()).as("not an outage fault").isNull();
        assertThat(DrillReport.html(slow)).contains("API answering again \u2192 FLIP moved (max, limit 10 s)</th>"
                + "<td class=\"num\">10100 ms</td><td class=\"fail\">");
    }

    @Test
    void injectedApiErrorsTheAgentNeverMetFailTheCheck() {
        DrillResult kill = DrillSamples.realistic(1);
        DrillResult met = DrillResult.of("api-429", kill.clients(),
                List.of(DrillSamples.variant(kill, "api-429", 0, 3, 3, null, null, null)));
        DrillResult missed = DrillResult.of("api-429", kill.clients(),
                List.of(DrillSamples.variant(kill, "api-429", 0, 3, 1, null, null, null)));

        assertThat(met.summary().passed()).isTrue();
        assertThat(missed.summary().passed()).isFalse();
        assertThat(DrillReport.html(missed)).contains("injected API errors answered to the agent</th>"
                + "<td class=\"num\">1 of 3</td><td class=\"fail\">");
    }

    @Test
    void thePageHasAnOverviewThenOneWellFormedSectionPerFaultWithUniqueIds() throws Exception {
        String html = DrillReport.html(DrillSamples.suite());

        parse(html);
        assertThat(html).contains("pgflip failover drill: 4 faults, ");
        for (String fault : List.of("kill", "partition", "api-down", "failback")) {
            assertThat(html).contains("<section id=\"fault-" + fault + "\">", "<h2>Fault: " + fault + "</h2>");
        }
        assertThat(svgCount(html)).isEqualTo(4);
        List<String> ids = new ArrayList<>();
        Matcher m = Pattern.compile(" id=\"([^\"]+)\"").matcher(html);
        while (m.find()) {
            ids.add(m.group(1));
        }
        Set<String> unique = new HashSet<>(ids);
        assertThat(unique).hasSameSizeAs(ids).contains("kill-run-1", "failback-run-1");
        assertThat(html).contains("<th>old primary rejoined after</th>", "<td class=\"num\">+21000 ms</td>");
        assertThat(html).contains("API answering again</span> <strong>15040 ms</strong>");
    }

    private static int svgCount(String html) {
        return html.split("<svg[ >]", -1).length - 1;
    }

    private static void parse(String xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        factory.newDocumentBuilder().parse(new InputSource(new StringReader(xml)));
    }
}
