package dev.pgflip.agent.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pgflip.agent.PgflipException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RepmgrEventTest {
    static final Instant NOW = Instant.parse("2024-05-01T10:00:00.120Z");

    @TempDir
    Path dir;

    @Test
    void lineHasTheDocumentedFieldsInOrder() {
        RepmgrEvent e = new RepmgrEvent(NOW, "2", "standby_promote", true, "2024-05-01 10:00:00+00",
                "server \"n2\" (ID: 2) was successfully promoted", Optional.of("n2"));
        assertThat(e.toJsonLine()).isEqualTo("{\"ts\":\"2024-05-01T10:00:00.120Z\",\"node_id\":2,\"event\":\"standby_promote\","
                + "\"success\":true,\"event_timestamp\":\"2024-05-01 10:00:00+00\","
                + "\"details\":\"server \\\"n2\\\" (ID: 2) was successfully promoted\",\"node\":\"n2\"}");
    }

    @Test
    void timestampAlwaysHasMilliseconds() {
        RepmgrEvent e = new RepmgrEvent(Instant.parse("2024-05-01T10:00:00Z"), "x", "e", false, "", "", Optional.empty());
        assertThat(e.toJsonLine()).startsWith("{\"ts\":\"2024-05-01T10:00:00.000Z\",\"node_id\":\"x\"").endsWith("\"node\":null}");
    }

    @Test
    void successAcceptsRepmgrsSpellings() {
        assertThat(RepmgrEvent.parseSuccess("1")).isTrue();
        assertThat(RepmgrEvent.parseSuccess("0")).isFalse();
        assertThat(RepmgrEvent.parseSuccess("t")).isTrue();
        assertThatThrownBy(() -> RepmgrEvent.parseSuccess("maybe")).isInstanceOf(PgflipException.class).hasMessageContaining("SUCCESS");
    }

    @Test
    void recorderAppendsFailedEventsToo() throws Exception {
        Path log = dir.resolve("sub/dir/events.jsonl");
        Path config = dir.resolve("agent.yaml");
        Files.writeString(config, "node: {name: n2}\nevents: {log_file: " + log + "}\n");

        EventRecorder.record(Optional.of(config), Map.of(), "2", "standby_promote", "1", "t1", "ok", NOW);
        String second = EventRecorder.record(Optional.of(config), Map.of(), "3", "repmgrd_failover_promote", "0", "t2", "failed", NOW);

        List<String> lines = Files.readAllLines(log);
        assertThat(lines).hasSize(2);
        assertThat(lines.get(1)).isEqualTo(second);
        JsonNode n = new ObjectMapper().readTree(second);
        assertThat(n.get("success").asBoolean()).isFalse();
        assertThat(n.get("node").asText()).isEqualTo("n2");
    }

    @Test
    void withoutConfigTheEnvironmentNamesTheFile() throws Exception {
        Path log = dir.resolve("env.jsonl");
        EventRecorder.record(Optional.empty(), Map.of(EventRecorder.ENV, log.toString()), "1", "e", "1", "t", "d", NOW);
        assertThat(Files.readAllLines(log)).hasSize(1);
        assertThatThrownBy(() -> EventRecorder.record(Optional.empty(), Map.of(), "1", "e", "1", "t", "d", NOW))
                .isInstanceOf(PgflipException.class).hasMessageContaining("PGFLIP_EVENTS_LOG");
    }
}
