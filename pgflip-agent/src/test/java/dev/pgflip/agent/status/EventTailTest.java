package dev.pgflip.agent.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventTailTest {
    @TempDir
    Path dir;

    static final List<String> LOG = List.of(
            "{\"ts\":\"2026-12-05T01:00:00.000Z\",\"node_id\":1,\"event\":\"repmgrd_start\",\"success\":true,"
                    + "\"event_timestamp\":\"x\",\"details\":\"monitoring\",\"node\":\"n1\"}",
            "{\"ts\":\"2026-12-05T01:00:05.100Z\",\"event\":\"pgflip_promote_started\",\"node\":\"n2\",\"success\":true}",
            "not json at all",
            "{\"ts\":\"2026-12-05T01:00:05.900Z\",\"event\":\"pgflip_watch_flip_assigned\",\"node\":\"n2\",\"success\":true}",
            // written later than the line below, but earlier by its ts: the file is read by ts
            "{\"ts\":\"2026-12-05T01:00:05.500Z\",\"node_id\":2,\"event\":\"standby_promote\",\"success\":false,"
                    + "\"event_timestamp\":\"x\",\"details\":\"server \\\"n2\\\" promoted\",\"node\":null}",
            "{\"ts\":\"2026-12-05T01:00:06.000Z\",\"event\":\"pgflip_watch_started\",\"node\":\"n2\",\"success\":true}",
            "{\"ts\":\"2026-12-05T01:00:07.000Z\",\"event\":\"repmgrd_reload\",\"node\":\"n2\",\"success\":true}");

    @Test
    void keepsTheLastFailoverEventsInTimeOrderAndSkipsOthersAndGarbage() {
        List<FailoverEvent> events = EventTail.last(LOG, 5);

        assertThat(events).extracting(FailoverEvent::event)
                .containsExactly("pgflip_promote_started", "standby_promote", "pgflip_watch_flip_assigned");
        FailoverEvent promote = events.get(1);
        assertThat(promote.node()).isEqualTo("node_id 2");
        assertThat(promote.success()).isFalse();
        assertThat(promote.details()).isEqualTo("server \"n2\" promoted");
    }

    @Test
    void aFollowThroughTheAgentIsAFailoverEventWithItsDetails() {
        List<FailoverEvent> events = EventTail.last(List.of(
                "{\"ts\":\"2026-12-05T01:00:08.000Z\",\"event\":\"pgflip_follow\",\"node\":\"n3\",\"success\":false,"
                        + "\"upstream_node_id\":2,\"details\":\"n2 (node 2) at 198.18.0.12:5432 did not answer as a"
                        + " writable primary within 30 s\",\"after_ms\":30001}"), 5);

        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.event()).isEqualTo("pgflip_follow");
            assertThat(e.node()).isEqualTo("n3");
            assertThat(e.success()).isFalse();
            assertThat(e.details()).startsWith("n2 (node 2) at 198.18.0.12:5432 did not answer");
        });
    }

    @Test
    void takesOnlyTheLatestNByTheirTime() {
        assertThat(EventTail.last(LOG, 2)).extracting(FailoverEvent::event)
                .containsExactly("standby_promote", "pgflip_watch_flip_assigned");
    }

    @Test
    void readsTheFileAndSaysWhenThereIsNone() throws Exception {
        Path file = dir.resolve("events.jsonl");
        Files.write(file, LOG);

        assertThat(EventTail.read(file, 1).events()).extracting(FailoverEvent::event)
                .containsExactly("pgflip_watch_flip_assigned");
        assertThat(EventTail.read(file, 0).events()).isEmpty();
        EventTail.Tail none = EventTail.read(dir.resolve("absent.jsonl"), 5);
        assertThat(none.events()).isEmpty();
        assertThat(none.note()).isEqualTo("no events file " + dir.resolve("absent.jsonl") + " on this node");
    }

    @Test
    void aLongFileIsReadFromItsEndWithoutTheCutFirstLine() throws Exception {
        Path file = dir.resolve("events.jsonl");
        String filler = "{\"ts\":\"2026-12-04T00:00:00.000Z\",\"event\":\"pgflip_promote_done\",\"node\":\"n9\"}\n";
        StringBuilder text = new StringBuilder();
        while (text.length() < EventTail.WINDOW + 1000) {
            text.append(filler);
        }
        text.append(String.join("\n", LOG)).append('\n');
        Files.writeString(file, "x".repeat(17) + text);

        List<FailoverEvent> events = EventTail.read(file, 100).events();

        assertThat(events).hasSizeGreaterThan(90).allSatisfy(e -> assertThat(e.ts()).startsWith("2026-12-0"));
        assertThat(events.get(events.size() - 1).event()).isEqualTo("pgflip_watch_flip_assigned");
    }

    @Test
    void aStuckRepmgrdConnectionEndedOrNotShowsTheWatchsReason() {
        FailoverEvent ended = FailoverEvent.parse("{\"ts\":\"2026-12-07T04:31:59.891Z\",\"node\":\"n2\","
                + "\"event\":\"pgflip_watch_repmgrd_unblocked\",\"peer\":\"198.18.0.11:5432\",\"reason\":\"repmgrd has"
                + " not seen its upstream for 5 s\"}").orElseThrow();
        FailoverEvent refused = FailoverEvent.parse("{\"ts\":\"2026-12-07T04:32:00Z\",\"node\":\"n2\",\"event\":"
                + "\"pgflip_watch_repmgrd_unblock_failed\",\"success\":true,\"reason\":\"x\",\"error\":\"ss -K: Operation not"
                + " permitted\"}").orElseThrow();

        assertThat(ended.success()).isTrue();
        assertThat(ended.details()).isEqualTo("repmgrd has not seen its upstream for 5 s");
        assertThat(refused.success()).isFalse();
        assertThat(refused.details()).isEqualTo("ss -K: Operation not permitted");
    }

    @Test
    void theFailoverEventsAreThoseOfPromotionsFollowsRejoinsFencesFlipsAndDegrades() {
        assertThat(List.of("standby_promote", "repmgrd_failover_promote", "repmgrd_failover_follow", "standby_follow",
                "node_rejoin", "pgflip_watch_fenced", "pgflip_watch_fence_lifted", "pgflip_watch_role_changed",
                "pgflip_flip_deferred", "pgflip_watch_flip_assigned", "pgflip_watch_sync_degraded",
                "pgflip_watch_possible_data_loss", "pgflip_watch_repmgrd_unblocked", "pgflip_watch_repmgrd_unblock_failed"))
                .allSatisfy(e -> assertThat(FailoverEvent.FAILOVER.matcher(e).find())
                .as(e).isTrue());
        assertThat(List.of("repmgrd_start", "repmgrd_reload", "pgflip_watch_started", "pgflip_watch_provider_ready",
                "pgflip_watch_sync_enabled")).allSatisfy(e -> assertThat(FailoverEvent.FAILOVER.matcher(e).find())
                .as(e).isFalse());
    }
}
