package dev.pgflip.agent.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.pgflip.agent.digitalocean.ApiOperation;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboard, the alert rules and operations.md name only metrics the watch exposes, and operations.md
 * names every one of them: the docs cannot drift from {@link WatchMeters}.
 */
class MetricsDocsTest {
    private static final Path DOCS = Path.of("..", "docs");
    private static final Pattern METRIC = Pattern.compile("\\bpgflip_watch_[a-z0-9_]+");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** The sample names of a scrape: every meter, the API timer's after one request (it has no series before). */
    private static Set<String> exposedSamples() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        WatchMeters meters = new WatchMeters(registry, System::nanoTime);
        meters.completed(ApiOperation.GET_IP, OptionalInt.of(200), Duration.ofMillis(100));
        return registry.scrape().lines().filter(l -> !l.startsWith("#") && !l.isBlank())
                .map(l -> l.split("[{ ]", 2)[0]).collect(Collectors.toCollection(TreeSet::new));
    }

    /** The metric families (the names after # TYPE), e.g. pgflip_watch_api_requests_seconds. */
    private static Set<String> exposedFamilies() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        WatchMeters meters = new WatchMeters(registry, System::nanoTime);
        meters.completed(ApiOperation.GET_IP, OptionalInt.of(200), Duration.ofMillis(100));
        return registry.scrape().lines().filter(l -> l.startsWith("# TYPE "))
                .map(l -> l.split(" ")[2]).collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> metricNames(List<String> expressions) {
        Set<String> names = new TreeSet<>();
        for (String expr : expressions) {
            Matcher m = METRIC.matcher(expr);
            while (m.find()) {
                names.add(m.group());
            }
        }
        return names;
    }

    private static JsonNode rules() throws IOException {
        return YAML.readTree(DOCS.resolve("prometheus-alerts.yml").toFile()).path("groups").get(0).path("rules");
    }

    @Test
    void theDashboardQueriesOnlyMetricsTheWatchExposes() throws IOException {
        JsonNode dashboard = JSON.readTree(DOCS.resolve("grafana-dashboard.json").toFile());
        List<String> expressions = new ArrayList<>();
        dashboard.findValues("expr").forEach(e -> expressions.add(e.asText()));
        dashboard.path("templating").path("list").forEach(v -> expressions.add(v.path("definition").asText()));

        assertThat(dashboard.path("panels")).hasSizeGreaterThanOrEqualTo(8);
        assertThat(dashboard.path("title").asText()).isEqualTo("pgflip watch");
        assertThat(metricNames(expressions)).isNotEmpty().isSubsetOf(exposedSamples());
        assertThat(metricNames(expressions)).as("every meter has a panel").containsAll(exposedFamilies().stream()
                .map(f -> f.equals("pgflip_watch_api_requests_seconds") ? f + "_count" : f).toList());
    }

    @Test
    void theAlertRulesUseOnlyMetricsTheWatchExposes() throws IOException {
        List<String> expressions = new ArrayList<>();
        rules().forEach(r -> expressions.add(r.path("expr").asText()));

        assertThat(expressions).doesNotContain("");
        assertThat(metricNames(expressions)).isNotEmpty().isSubsetOf(exposedSamples());
    }

    @Test
    void theAlertsAnOperatorNeedsAreThereWithTheirDelays() throws IOException {
        Map<String, JsonNode> byName = new java.util.TreeMap<>();
        rules().forEach(r -> byName.put(r.path("alert").asText(), r));

        assertThat(byName).containsKeys("PgflipFlipNotOnPrimary", "PgflipNodeFenced", "PgflipReplicationAsync",
                "PgflipReconcileStale", "PgflipApiErrors", "PgflipApiTokenRejected", "PgflipPossibleDataLoss");
        assertThat(byName.get("PgflipFlipNotOnPrimary").path("expr").asText()).contains("pgflip_watch_flip_correct");
        assertThat(byName.get("PgflipFlipNotOnPrimary").path("for").asText()).isEqualTo("30s");
        assertThat(byName.get("PgflipNodeFenced").path("expr").asText()).contains("pgflip_watch_fenced");
        assertThat(byName.get("PgflipReplicationAsync").path("expr").asText())
                .contains("pgflip_watch_sync_state{state=\"async\"}");
        assertThat(byName.get("PgflipReplicationAsync").path("for").asText()).isEqualTo("5m");
        byName.forEach((name, rule) -> {
            assertThat(rule.path("labels").path("severity").asText()).as(name).isIn("critical", "warning", "info");
            assertThat(rule.path("annotations").path("summary").asText()).as(name).isNotBlank();
        });
    }

    @Test
    void theRuleTestsOfPromtoolTestOnlyAlertsThatExist() throws IOException {
        Set<String> alerts = new TreeSet<>();
        rules().forEach(r -> alerts.add(r.path("alert").asText()));
        JsonNode tests = YAML.readTree(DOCS.resolve("prometheus-alerts.test.yml").toFile());

        assertThat(tests.path("rule_files").get(0).asText()).isEqualTo("prometheus-alerts.yml");
        assertThat(tests.findValuesAsText("alertname")).isNotEmpty().allMatch(alerts::contains);
    }

    @Test
    void operationsMdNamesEveryMetricTheWatchExposesAndNoOther() throws IOException {
        String guide = Files.readString(DOCS.resolve("operations.md"));
        // The watch's metrics section only: the events file names its events pgflip_watch_<event> too.
        int start = guide.indexOf("### pgflip watch");
        String section = guide.substring(start, guide.indexOf("\n## ", start));
        Set<String> known = new TreeSet<>(exposedSamples());
        known.addAll(exposedFamilies());

        assertThat(exposedFamilies()).isNotEmpty().allSatisfy(f -> assertThat(section).contains(f));
        assertThat(metricNames(List.of(section))).isSubsetOf(known);
    }
}
