package dev.pgflip.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pgflip.agent.testing.ScriptedApi;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code pgflip status} command line without a PostgreSQL: its nodes refuse at once (127.0.0.1 port 1), the
 * API and the metadata service are scripted on 127.0.0.1.
 */
class StatusCommandTest {
    static final String SECRET = "dop_v1_status_secret_4242424242";
    static final String FIP = "127.0.0.1";

    @TempDir
    Path dir;

    @Test
    void helpDocumentsEveryProblemCodeTheJsonShapeAndExitFive() {
        CliRun run = CliRun.of("status", "--help");

        assertThat(run.exitCode()).isZero();
        String help = run.out().replaceAll("\\s+", " ");
        assertThat(help).contains("cluster_unreadable", "no_primary", "several_writable", "node_unreachable",
                "fenced_primary", "fenced_node", "flip_not_on_primary", "flip_unknown", "flip_views_disagree",
                "not_streaming", "sync_expected_async", "watch_not_alive", "pgflip-watch:NODE",
                "replay_lag_bytes", "5 something needs attention (listed, with the fix)", "2 configuration error");
    }

    @Test
    void theTopCommandListsStatusWithADescriptionThatStandsAlone() {
        CliRun run = CliRun.of("--help");

        assertThat(run.out()).containsPattern("\n  status +Show the cluster, the floating IP's holder, what needs"
                + " attention\\.\n");
    }

    @Test
    void noReachableNodeIsClusterUnreadableExitFiveAndTheApiStillSaysWhoHoldsTheIp() throws Exception {
        try (ScriptedApi api = new ScriptedApi(); ScriptedApi metadata = ScriptedApi.plainHttp()) {
            api.on("GET /v2/reserved_ips/" + FIP, 200, ScriptedApi.ip("reserved_ip", FIP, 1001L, false, "nyc3"));
            metadata.on("GET /metadata/v1/reserved_ip/ipv4/active", 200, "false");

            CliRun run = CliRun.of("status", "--config", digitalOceanConfig(api, metadata).toString(), "-o", "json");

            assertThat(run.exitCode()).as(run.toString()).isEqualTo(5);
            JsonNode json = new ObjectMapper().readTree(run.out());
            assertThat(json.path("problems").get(0).path("code").asText()).isEqualTo("cluster_unreadable");
            assertThat(json.path("nodes_error").asText()).contains("repmgr.nodes of this node (127.0.0.1:1) cannot be read")
                    .contains("nor the floating IP " + FIP);
            JsonNode holder = json.path("flip").path("holder");
            assertThat(holder.path("known").asBoolean()).isTrue();
            assertThat(holder.path("droplet_id").asLong()).isEqualTo(1001);
            assertThat(holder.path("droplet_name").asText()).isEqualTo("n1");
            assertThat(json.path("flip").path("self_droplet_id").asLong()).isEqualTo(1002);
            assertThat(json.path("flip").path("metadata").path("active").asBoolean()).isFalse();
            assertThat(json.path("events_note").asText()).startsWith("no events file ");
            assertThat(run.out() + run.err() + run.log()).doesNotContain(SECRET);
        }
    }

    @Test
    void theTableSaysTheSameForPeople() throws Exception {
        try (ScriptedApi api = new ScriptedApi(); ScriptedApi metadata = ScriptedApi.plainHttp()) {
            api.on("GET /v2/reserved_ips/" + FIP, 401, ScriptedApi.error("unauthorized", "Unable to authenticate you."));
            metadata.on("GET /metadata/v1/reserved_ip/ipv4/active", 200, "true")
                    .on("GET /metadata/v1/reserved_ip/ipv4/ip_address", 200, FIP);

            CliRun run = CliRun.of("status", "--config", digitalOceanConfig(api, metadata).toString());

            assertThat(run.exitCode()).as(run.toString()).isEqualTo(5);
            assertThat(run.out()).contains("Cluster seen from n2 (repmgr.nodes read nowhere)")
                    .contains("  by the provider: unknown: cannot read the reserved IP " + FIP)
                    .contains("  by the metadata service of this droplet (1002): active, " + FIP)
                    .contains("  cluster_unreadable: repmgr.nodes cannot be read: ");
            assertThat(run.out() + run.err() + run.log()).doesNotContain(SECRET);
        }
    }

    @Test
    void aMissingConfigIsExitTwo() {
        CliRun run = CliRun.of("status", "--config", dir.resolve("absent.yaml").toString());

        assertThat(run.exitCode()).isEqualTo(2);
    }

    @Test
    void aNegativeEventCountIsExitTwo() throws Exception {
        try (ScriptedApi api = new ScriptedApi(); ScriptedApi metadata = ScriptedApi.plainHttp()) {
            CliRun run = CliRun.of("status", "--config", digitalOceanConfig(api, metadata).toString(), "--events", "-1");

            assertThat(run.exitCode()).isEqualTo(2);
            assertThat(run.errLine()).isEqualTo("pgflip status: --events -1 must be 0 or more");
        }
    }

    private Path digitalOceanConfig(ScriptedApi api, ScriptedApi metadata) throws Exception {
        Path token = dir.resolve("do-token");
        Files.writeString(token, SECRET + "\n");
        Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-------"));
        Path file = dir.resolve("agent.yaml");
        Files.writeString(file, String.join("\n",
                "node:",
                "  name: n2",
                "  droplet_id: 1002",
                "  database: {host: 127.0.0.1, port: 1, dbname: repmgr, user: repmgr}",
                "flip: {ip: " + FIP + ", provider: digitalocean}",
                "digitalocean:",
                "  api_url: " + api.url(),
                "  ca_file: " + ScriptedApi.caFile(),
                "  token_file: " + token,
                "  metadata_url: " + metadata.url() + "/metadata/v1",
                "  resource: reserved_ips",
                "  request_timeout: 2s",
                "events: {log_file: " + dir.resolve("events.jsonl") + "}",
                ""));
        return file;
    }
}
