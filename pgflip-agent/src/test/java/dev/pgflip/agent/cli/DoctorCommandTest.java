package dev.pgflip.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pgflip.agent.testing.ScriptedApi;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code pgflip doctor} through the real command line, on a node whose PostgreSQL is not there. */
class DoctorCommandTest {
    static final String FIP = "198.18.0.100";
    static final String PROBE = "POST /v2/reserved_ips/" + FIP + "/actions";

    @TempDir
    Path dir;
    ScriptedApi api;
    Path config;

    @BeforeEach
    void setUp() throws Exception {
        api = new ScriptedApi();
        Path token = dir.resolve("do-token");
        Files.writeString(token, "doctor-cli-token-not-real\n");
        Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-------"));
        Path repmgrConf = dir.resolve("repmgr.conf");
        Files.writeString(repmgrConf, String.join("\n", "node_id=2", "node_name='n2'",
                "conninfo='host=127.0.0.1 port=1 user=repmgr dbname=repmgr'", "data_directory='/nonexistent'",
                "failover=automatic", "promote_command='/usr/bin/repmgr standby promote'",
                "follow_command='/usr/bin/repmgr standby follow -f /etc/repmgr.conf --upstream-node-id=%n'",
                "event_notification_command='/bin/true'", ""));
        config = dir.resolve("pgflip.yaml");
        Files.writeString(config, String.join("\n",
                "node: {name: n2, droplet_id: 102, database: {host: 127.0.0.1, port: 1, dbname: repmgr, user: repmgr}}",
                "flip: {ip: " + FIP + ", provider: digitalocean}",
                "digitalocean:",
                "  api_url: " + api.url(),
                "  ca_file: " + ScriptedApi.caFile(),
                "  token_file: " + token,
                "  metadata_url: http://127.0.0.1:1/metadata/v1",
                "  request_timeout: 1s",
                "rejoin: {repmgr_conf: " + repmgrConf + ", config_archive_dir: " + dir + "}",
                ""));
        api.on("GET /v2/account", 200, "{\"account\":{\"status\":\"active\",\"status_message\":\"\"}}")
                .on("GET /v2/reserved_ips/" + FIP, 200, ScriptedApi.ip("reserved_ip", FIP, 101L, false, "lab1"))
                .on("GET /v2/droplets/102", 200, ScriptedApi.droplet(102, "lab1"));
    }

    /** How the API answers the doctor's write-scope probe: 422 for a token with write scope, 403 without. */
    void probeAnswers(int status) {
        api.on(PROBE, status, status == 403 ? ScriptedApi.error("forbidden", "You do not have access for the attempted action.")
                : ScriptedApi.error("unprocessable_entity", "type is not a valid action type"));
    }

    @AfterEach
    void tearDown() {
        api.close();
    }

    @Test
    void theExitCodeIsTheNumberOfFailedChecksAndEachNamesItsFix() throws Exception {
        probeAnswers(422);
        CliRun run = CliRun.of("doctor", "--config", config.toString(), "-o", "json");

        JsonNode json = new ObjectMapper().readTree(run.out());
        List<String> failed = new ArrayList<>();
        json.path("checks").forEach(c -> {
            if (c.path("status").asText().equals("fail")) {
                failed.add(c.path("check").asText());
                assertThat(c.path("fix").asText()).as(c.toString()).isNotBlank();
            }
        });
        assertThat(failed).containsExactly("promote_command", "event_notification_command", "postgres");
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(3);
        assertThat(json.path("failed").asInt()).isEqualTo(3);
    }

    @Test
    void theTextReportShowsTheApiChecksThatCouldRun() {
        probeAnswers(422);
        CliRun run = CliRun.of("doctor", "--config", config.toString());

        assertThat(run.out()).contains("DigitalOcean token read from").contains("accepts the token")
                .contains("droplet id 102 (node.droplet_id)").contains("exists in region lab1")
                .contains("holder not checked").contains("the token may move reserved IP " + FIP)
                .contains("3 problems found.");
        assertThat(run.out()).doesNotContain("doctor-cli-token-not-real");
        assertThat(run.exitCode()).isEqualTo(3);
        assertThat(api.requests().stream().filter(r -> (r.method() + " " + r.path()).equals(PROBE)))
                .singleElement().satisfies(r -> assertThat(r.body()).contains("\"type\":\"pgflip_write_scope_probe\"")
                        .doesNotContain("droplet_id"));
    }

    @Test
    void aReadOnlyTokenIsOneMoreFailureWhoseFixAsksForWriteScope() throws Exception {
        probeAnswers(403);

        CliRun run = CliRun.of("doctor", "--config", config.toString(), "-o", "json");

        JsonNode json = new ObjectMapper().readTree(run.out());
        JsonNode check = null;
        for (JsonNode c : json.path("checks")) {
            if (c.path("check").asText().equals("token_write_scope")) {
                check = c;
            }
        }
        assertThat(check).isNotNull();
        assertThat(check.path("status").asText()).isEqualTo("fail");
        assertThat(check.path("message").asText()).contains("403 forbidden").contains("lacks write scope");
        assertThat(check.path("fix").asText()).contains("read and write scope").contains("reserved_ip:update")
                .contains(dir.resolve("do-token").toString());
        assertThat(json.path("failed").asInt()).isEqualTo(4);
        assertThat(run.exitCode()).isEqualTo(4);
        assertThat(run.out()).doesNotContain("doctor-cli-token-not-real");
    }
}
