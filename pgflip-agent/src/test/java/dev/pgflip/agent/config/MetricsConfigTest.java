package dev.pgflip.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MetricsConfigTest {
    private static AgentConfig watch(String metrics) {
        return AgentConfigLoaderTest.parse(AgentConfigLoaderTest.FULL + metrics, ConfigPurpose.WATCH);
    }

    private static String problems(String metrics) {
        return AgentConfigLoaderTest.problems(AgentConfigLoaderTest.FULL + metrics, ConfigPurpose.WATCH);
    }

    @Test
    void metricsAreOffWithoutTheSection() {
        assertThat(watch("").metrics()).isEmpty();
    }

    @Test
    void anIpv4ListenAddressIsRead() throws Exception {
        MetricsConfig metrics = watch("metrics:\n  listen: \"127.0.0.1:9187\"\n").metrics().orElseThrow();
        assertThat(metrics.listen()).isEqualTo(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 9187));
        assertThat(metrics.describe()).isEqualTo("127.0.0.1:9187");
    }

    @Test
    void anIpv6ListenAddressIsReadInBrackets() throws Exception {
        MetricsConfig metrics = watch("metrics:\n  listen: \"[::1]:9187\"\n").metrics().orElseThrow();
        assertThat(metrics.listen()).isEqualTo(new InetSocketAddress(InetAddress.getByName("::1"), 9187));
        assertThat(metrics.describe()).isEqualTo("[0:0:0:0:0:0:0:1]:9187");
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost:9187", "127.0.0.1", "9187", "127.0.0.1:0", "127.0.0.1:65536",
        "127.0.0.1:99999", "300.0.0.1:9187", "127.0.0.1:port", "::1:9187", "[::1]", "[nope]:9187",
        "http://127.0.0.1:9187", "127.0.0.1:9187/metrics"})
    void aBadListenAddressIsRefusedNamingTheKeyTheValueAndTheExpectedForm(String listen) {
        assertThat(problems("metrics:\n  listen: \"" + listen + "\"\n"))
                .contains("metrics.listen: \"" + listen + "\" is not HOST:PORT with HOST an IP address")
                .contains("e.g. 127.0.0.1:9187");
    }

    @Test
    void thePackagesCommentedMetricsSectionLoadsOnceUncommented() throws Exception {
        String packaged = Files.readString(Path.of("src", "deb", "etc", "pgflip", "agent.yaml"));
        String metrics = packaged.lines().filter(l -> l.startsWith("# metrics:") || l.startsWith("#   "))
                .map(l -> l.substring(2)).collect(Collectors.joining("\n", "", "\n"));

        assertThat(metrics).startsWith("metrics:");
        assertThat(watch(metrics).metrics().orElseThrow().describe()).isEqualTo("127.0.0.1:9187");
    }

    @Test
    void aMetricsSectionWithoutListenIsRefusedNamingTheKey() {
        assertThat(problems("metrics: {}\n")).contains("metrics.listen: missing, expected HOST:PORT")
                .contains("leave out the metrics section for no server");
    }

    @Test
    void anUnknownKeyInTheMetricsSectionIsRefused() {
        assertThat(problems("metrics:\n  listen: \"127.0.0.1:9187\"\n  path: /prom\n"))
                .contains("metrics.path: unknown key (expected one of listen)");
    }

    @Test
    void aMetricsValueThatIsNotASectionIsRefused() {
        assertThat(problems("metrics: \"127.0.0.1:9187\"\n")).contains("metrics: \"127.0.0.1:9187\" is not a mapping");
    }
}
