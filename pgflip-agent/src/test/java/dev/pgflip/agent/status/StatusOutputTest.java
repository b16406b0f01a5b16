package dev.pgflip.agent.status;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class StatusOutputTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theTableShowsEveryNodeThenTheFlipTheEventsAndThatNothingNeedsAttention() {
        String text = StatusOutput.render(Snapshots.healthy().report(), StatusOutput.Format.TEXT);

        assertThat(text.lines()).containsExactly(
                "Cluster seen from n2 (repmgr.nodes read here)",
                " ID | Node | Type    | Role    | Address          | TL | Upstream | Lag flush / replay | Sync   | Fence | Watch",
                "----+------+---------+---------+------------------+----+----------+--------------------+--------+-------+-------",
                " 1  | n1   | primary | primary | 198.18.0.11:5432 | 1  |          |                    |        | no    | alive",
                " 2  | n2 * | standby | standby | 198.18.0.12:5432 | 1  | n1       | 0 B / 128 B (3 ms) | quorum | no    | alive",
                " 3  | n3   | witness | witness | 198.18.0.13:5432 |    | n1       |                    |        |       | -",
                "* this node. Fence: default_transaction_read_only as each node answers; the fence record"
                        + " (fencing.state_file) is known here only.",
                "synchronous_standby_names on the primary: 'ANY 1 (n1, n2)' (configured: 'ANY 1 (n1, n2)')",
                "",
                "Floating IP 198.18.0.100 (digitalocean)",
                "  by the provider: droplet 101 (n1), node n1",
                "  by the metadata service of this droplet (102): none active",
                "",
                "Last failover events (this node's events.log_file):",
                "  2026-12-05T01:02:03.456Z  n2  pgflip_watch_role_changed  ok",
                "",
                "Nothing needs attention.");
    }

    @Test
    void eachProblemIsListedWithItsFixUnderIt() {
        String text = StatusOutput.render(Snapshots.healthy().unreachable(1, "Connection refused")
                .answer(0, Snapshots.primary(1)).report(), StatusOutput.Format.TEXT);

        assertThat(text).contains(" 2  | n2 * | standby | unreachable | 198.18.0.12:5432 |");
        assertThat(text.lines().dropWhile(l -> !l.startsWith("Needs attention")).toList()).containsExactly(
                "Needs attention (1):",
                "  node_unreachable: n2 (standby, 198.18.0.12:5432) does not answer: Connection refused",
                "    fix: check that its PostgreSQL runs (on n2: pg_lsclusters, systemctl status postgresql) and that"
                        + " 198.18.0.12:5432 can be reached from here");
    }

    @Test
    void theTableSaysWhatIsUnknownAndMarksAFenceRecord() {
        String text = StatusOutput.render(Snapshots.healthy().seenFrom("n1")
                .localFence(dev.pgflip.agent.node.FenceState.isolated(1150))
                .holder(FlipView.Holder.unknown("cannot read the floating IP 198.18.0.100: timeout"))
                .metadata(FlipView.Metadata.unknown("HTTP 404"))
                .events(new EventTail.Tail(List.of(), "no events file /var/log/pgflip/events.jsonl on this node"))
                .report(), StatusOutput.Format.TEXT);

        assertThat(text).contains("| no (record) |")
                .contains("  by the provider: unknown: cannot read the floating IP 198.18.0.100: timeout")
                .contains("  by the metadata service of this droplet (102): unknown: HTTP 404")
                .contains("  no events file /var/log/pgflip/events.jsonl on this node")
                .contains("  fenced_primary: the primary n1 is fenced (isolated: no peer answered for 1150ms)");
    }

    @Test
    void theFlipLinesSayWhatEachProviderKnows() {
        String nobody = StatusOutput.render(Snapshots.healthy().holder(FlipView.Holder.nobody(true)).report(),
                StatusOutput.Format.TEXT);
        assertThat(nobody).contains("  by the provider: not assigned (an action is in progress)\n");

        FlipView local = new FlipView(Snapshots.FLIP, "local", FlipView.Holder.local(false, Optional.of("n2")),
                Optional.empty(), OptionalLong.empty());
        String text = StatusOutput.render(Snapshots.healthy().flip(local).report(), StatusOutput.Format.TEXT);
        assertThat(text).contains("Floating IP 198.18.0.100 (local)\n  by the provider: not on this node\n\n")
                .doesNotContain("metadata service");

        String unmatched = StatusOutput.render(Snapshots.healthy()
                .holder(FlipView.Holder.droplet(999, Optional.empty(), Optional.empty(), false)).report(),
                StatusOutput.Format.TEXT);
        assertThat(unmatched).contains("  by the provider: droplet 999, node unknown\n");
    }

    @Test
    void aStandbyWithoutAWalsenderShowsNotStreamingAndTheWalDifference() {
        String text = StatusOutput.render(Snapshots.healthy().answer(0, Snapshots.primary(1)).report(),
                StatusOutput.Format.TEXT);

        assertThat(text).contains("| - / 10000 B        | not streaming |")
                .contains("  not_streaming: n2 does not stream from the primary n1 (no walsender for it)");
    }

    @Test
    void lagIsShownLikePgSizePretty() {
        assertThat(StatusTable.bytes(OptionalLong.of(0))).isEqualTo("0 B");
        assertThat(StatusTable.bytes(OptionalLong.of(10_239))).isEqualTo("10239 B");
        assertThat(StatusTable.bytes(OptionalLong.of(10_240))).isEqualTo("10 kB");
        assertThat(StatusTable.bytes(OptionalLong.of(16L * 1024 * 1024))).isEqualTo("16 MB");
        assertThat(StatusTable.bytes(OptionalLong.of(3L * 1024 * 1024 * 1024))).isEqualTo("3072 MB");
        assertThat(StatusTable.bytes(OptionalLong.empty())).isEqualTo("-");
    }

    @Test
    void jsonHasEveryFieldOfTheDocumentedShapeNullWhenUnknown() throws Exception {
        JsonNode json = JSON.readTree(StatusOutput.render(Snapshots.healthy().unreachable(2, "refused").report(),
                StatusOutput.Format.JSON));

        assertThat(names(json)).containsExactly("healthy", "exit_code", "node", "nodes_from", "nodes_error", "nodes",
                "synchronous_standby_names", "configured_synchronous_standby_names", "flip", "events", "events_note",
                "problems");
        assertThat(json.path("healthy").asBoolean()).isFalse();
        assertThat(json.path("exit_code").asInt()).isEqualTo(5);
        for (JsonNode node : json.path("nodes")) {
            assertThat(names(node)).containsExactly("id", "name", "type", "host", "port", "active", "local", "role",
                    "reachable", "error", "timeline", "upstream", "replication", "fence", "watch");
            assertThat(names(node.path("fence"))).containsExactly("fenced", "read_only", "record_known", "record");
        }
        JsonNode n2 = json.path("nodes").get(1);
        assertThat(names(n2.path("replication"))).containsExactly("state", "sync_state", "flush_lag_bytes",
                "replay_lag_bytes", "replay_lag_ms");
        assertThat(n2.path("replication").path("replay_lag_bytes").asLong()).isEqualTo(128);
        JsonNode n3 = json.path("nodes").get(2);
        assertThat(n3.path("role").asText()).isEqualTo("unreachable");
        assertThat(n3.path("reachable").asBoolean()).isFalse();
        assertThat(n3.path("error").asText()).isEqualTo("refused");
        assertThat(n3.path("timeline").isNull()).isTrue();
        assertThat(n3.path("replication").isNull()).isTrue();
        assertThat(n3.path("watch").asText()).isEqualTo("not_expected");
        assertThat(names(json.path("flip"))).containsExactly("ip", "provider", "self_droplet_id", "holder", "metadata");
        assertThat(names(json.path("flip").path("holder"))).containsExactly("known", "assigned", "droplet_id",
                "droplet_name", "node", "on_this_node", "locked", "error");
        assertThat(json.path("flip").path("holder").path("node").asText()).isEqualTo("n1");
        assertThat(names(json.path("flip").path("metadata"))).containsExactly("active", "address", "error");
        assertThat(names(json.path("events").get(0))).containsExactly("ts", "node", "event", "success", "details");
        JsonNode problem = json.path("problems").get(0);
        assertThat(names(problem)).containsExactly("code", "node", "message", "fix");
        assertThat(problem.path("code").asText()).isEqualTo("node_unreachable");
        assertThat(problem.path("node").asText()).isEqualTo("n3");
    }

    @Test
    void jsonOfAHealthyClusterHasEmptyListsNotMissingOnes() throws Exception {
        JsonNode json = JSON.readTree(StatusOutput.render(Snapshots.healthy()
                .events(new EventTail.Tail(List.of(), "")).report(), StatusOutput.Format.JSON));

        assertThat(json.path("healthy").asBoolean()).isTrue();
        assertThat(json.path("exit_code").asInt()).isZero();
        assertThat(json.path("problems").isArray()).isTrue();
        assertThat(json.path("problems")).isEmpty();
        assertThat(json.path("events").isArray()).isTrue();
        assertThat(json.path("events")).isEmpty();
    }

    @Test
    void jsonOfAnUnreadableClusterStillHasItsShape() throws Exception {
        ClusterStatus s = new ClusterStatus("n2", "", "the local node cannot be asked", List.of(), Optional.empty(),
                Optional.empty(), new FlipView("198.18.0.100", "exec", FlipView.Holder.unknown("exec"), Optional.empty(),
                        OptionalLong.empty()), new EventTail.Tail(List.of(), ""));
        JsonNode json = JSON.readTree(StatusOutput.render(StatusReport.of(s), StatusOutput.Format.JSON));

        assertThat(json.path("nodes").isArray()).isTrue();
        assertThat(json.path("nodes_from").isNull()).isTrue();
        assertThat(json.path("nodes_error").asText()).isEqualTo("the local node cannot be asked");
        assertThat(json.path("flip").path("metadata").isNull()).isTrue();
        assertThat(json.path("problems").get(0).path("code").asText()).isEqualTo("cluster_unreadable");
        assertThat(json.path("problems").get(0).path("node").isNull()).isTrue();
    }

    private static List<String> names(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
