package dev.pgflip.lab.drill;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterEventsTest {

    @Test
    void anEventFromAnyOfTheNodesWaitedForEndsTheWait(@TempDir Path dir) throws Exception {
        long now = System.currentTimeMillis();
        Path file = dir.resolve("events.jsonl");
        Files.writeString(file, "{\"ts\":\"" + Instant.ofEpochMilli(now) + "\",\"event\":\"repmgrd_failover_promote\","
                + "\"node\":\"n4\"}\n");
        List<String> hookResults = List.of("repmgrd_failover_promote", "repmgrd_promote_error");

        assertThat(ClusterEvents.awaitAny(file, hookResults, List.of("n2", "n4"), now - 1_000, now)).isTrue();
        assertThat(ClusterEvents.awaitAny(file, hookResults, List.of("n2"), now - 1_000, now)).isFalse();
        assertThat(ClusterEvents.awaitAny(file, List.of("repmgrd_promote_error"), List.of("n4"), now - 1_000, now))
                .isFalse();
    }
}
