package dev.pgflip.agent.cli;

import static dev.pgflip.agent.testing.ScriptedApi.action;
import static dev.pgflip.agent.testing.ScriptedApi.error;
import static dev.pgflip.agent.testing.ScriptedApi.ip;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pgflip.agent.testing.ScriptedApi;
import java.nio.file.Files;
import java.util.List;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real {@code pgflip} command line against a scripted DigitalOcean API on 127.0.0.1. */
class CommandLineTest {
    static final String SECRET = "dop_v1_cli_secret_4242424242";
    static final String FIP = "198.18.0.100";
    static final String GET_IP = "GET /v2/reserved_ips/" + FIP;
    static final String ACTIONS = "POST /v2/reserved_ips/" + FIP + "/actions";

    @TempDir
    Path dir;
    ScriptedApi api;
    Path config;
    Path tokenFile;

    @BeforeEach
    void setUp() throws Exception {
        api = new ScriptedApi();
        tokenFile = dir.resolve("do-token");
        Files.writeString(tokenFile, SECRET + "\n");
        Files.setPosixFilePermissions(tokenFile, PosixFilePermissions.fromString("rw-------"));
        // Generous: every run is a new client, so a new TLS handshake, which takes seconds on a loaded 2-core machine.
        config = writeConfig("10s");
    }

    @AfterEach
    void tearDown() {
        api.close();
    }

    Path writeConfig(String deadline) throws Exception {
        Path file = dir.resolve("agent.yaml");
        Files.writeString(file, String.join("\n",
                "node: {name: n2, droplet_id: 1002}",
                "flip: {ip: " + FIP + ", provider: digitalocean}",
                "promote:",
                "  command: [/bin/true]",
                "  deadline: " + deadline,
                "digitalocean:",
                "  api_url: " + api.url(),
                "  ca_file: " + ScriptedApi.caFile(),
                "  token_file: " + tokenFile,
                "  metadata_url: http://127.0.0.1:1/metadata/v1",
                "  poll_interval: 20ms",
                "  request_timeout: 5s",
                "events: {log_file: " + dir.resolve("events.jsonl") + "}",
                ""));
        return file;
    }

    static void assertNoSecret(CliRun run) {
        assertThat(run.out()).doesNotContain(SECRET);
        assertThat(run.err()).doesNotContain(SECRET);
        assertThat(run.log()).doesNotContain(SECRET);
    }

    @Test
    void skipPromoteMovesTheIpAndExitsZero() {
        api.on(GET_IP, 200, ip("reserved_ip", FIP, 1001L, false, "nyc3"))
                .on(GET_IP, 200, ip("reserved_ip", FIP, 1002L, false, "nyc3"));
        api.on(ACTIONS, 429, error("too_many_requests", "API Rate limit exceeded."), java.util.Map.of("retry-after", "0"))
                .on(ACTIONS, 201, action(31, "in-progress"));
        api.on("GET /v2/actions/31", 404, error("not_found", "not yet"))
                .on("GET /v2/actions/31", 200, action(31, "completed"));

        CliRun run = CliRun.of("promote", "--config", config.toString(), "--skip-promote");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(api.count(ACTIONS)).isEqualTo(2);
        assertThat(api.requests()).allSatisfy(r -> assertThat(r.authorization()).isEqualTo("Bearer " + SECRET));
        assertNoSecret(run);
    }

    @Test
    void givingUpAtTheDeadlineIsExitCode3WithOneClearLine() throws Exception {
        config = writeConfig("3s");
        api.on(GET_IP, 200, ip("reserved_ip", FIP, 1001L, false, "nyc3"));
        api.on(ACTIONS, 201, action(32, "in-progress"));
        api.on("GET /v2/actions/32", 200, action(32, "in-progress"));

        CliRun run = CliRun.of("promote", "--config", config.toString(), "--skip-promote");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(3);
        assertThat(run.errLine())
                .startsWith("pgflip promote: could not move reserved IP 198.18.0.100 to droplet 1002 in time")
                .contains("action 32 still in-progress")
                .contains("pgflip flip assign 1002");
        assertNoSecret(run);
    }

    @Test
    void rejectedTokenIsExitCode4AndNeverShown() {
        api.on(GET_IP, 401, error("unauthorized", "Unable to authenticate you."));

        CliRun run = CliRun.of("promote", "--config", config.toString(), "--skip-promote");

        assertThat(run.exitCode()).isEqualTo(4);
        assertThat(run.errLine()).isEqualTo(
                "pgflip promote: DigitalOcean rejected the token (401 unauthorized): replace the token in"
                        + " digitalocean.token_file " + tokenFile + " with a valid one with write scope");
        assertNoSecret(run);
    }

    @Test
    void readableTokenFileIsExitCode2() throws Exception {
        Files.setPosixFilePermissions(tokenFile, PosixFilePermissions.fromString("rw-r--r--"));

        CliRun run = CliRun.of("promote", "--config", config.toString(), "--skip-promote");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errLine()).contains(tokenFile.toString()).contains("chmod 600");
        assertThat(api.requests()).isEmpty();
        assertNoSecret(run);
    }

    @Test
    void invalidConfigIsExitCode2NamingTheKey() throws Exception {
        Files.writeString(config, Files.readString(config).replace("ip: " + FIP, "ip: 1.2.3"));

        CliRun run = CliRun.of("promote", "--config", config.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errLine()).contains("flip.ip: \"1.2.3\" is not an IPv4 address");
    }

    @Test
    void missingConfigOptionIsAUsageError() {
        assertThat(CliRun.of("promote").exitCode()).isEqualTo(2);
    }

    @Test
    void flipStatusPrintsJson() throws Exception {
        api.on(GET_IP, 200, ip("reserved_ip", FIP, 1002L, false, "nyc3"));

        CliRun run = CliRun.of("flip", "status", "--config", config.toString(), "--output", "json");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        var json = new ObjectMapper().readTree(run.out());
        assertThat(json.get("droplet_id").asLong()).isEqualTo(1002);
        assertThat(json.get("droplet_name").asText()).isEqualTo("n2");
        assertThat(json.get("region").asText()).isEqualTo("nyc3");
        assertThat(json.get("locked").asBoolean()).isFalse();
    }

    @Test
    void flipStatusPrintsColumns() {
        api.on(GET_IP, 200, ip("reserved_ip", FIP, 1002L, true, "nyc3"));

        CliRun run = CliRun.of("flip", "status", "--config", config.toString());

        assertThat(run.out()).contains("IP").contains("Droplet ID").contains(FIP).contains("1002").contains("true");
    }

    @Test
    void flipAssignReturnsTheActionAtOnceOrWaits() throws Exception {
        api.on(ACTIONS, 201, action(40, "in-progress"));
        api.on("GET /v2/actions/40", 200, action(40, "in-progress")).on("GET /v2/actions/40", 200, action(40, "completed"));

        CliRun now = CliRun.of("flip", "assign", "1003", "--config", config.toString(), "-o", "json");
        assertThat(now.exitCode()).as(now.toString()).isZero();
        assertThat(new ObjectMapper().readTree(now.out()).get("status").asText()).isEqualTo("in-progress");
        assertThat(api.requests().get(0).body()).contains("\"droplet_id\":1003");

        CliRun waited = CliRun.of("flip", "assign", "1003", "--config", config.toString(), "-o", "json", "--wait");
        assertThat(waited.exitCode()).as(waited.toString()).isZero();
        assertThat(new ObjectMapper().readTree(waited.out()).get("status").asText()).isEqualTo("completed");
    }

    @Test
    void flipUnassignWithErroredActionIsExitCode3() {
        api.on(ACTIONS, 201, action(41, "in-progress"));
        api.on("GET /v2/actions/41", 200, action(41, "errored"));

        CliRun run = CliRun.of("flip", "unassign", "--config", config.toString(), "--wait");

        assertThat(run.exitCode()).isEqualTo(3);
        assertThat(run.errLine()).contains("ended with status errored");
    }

    @Test
    void eventAppendsAndPrintsTheLineAndExitsZeroForFailedEvents() throws Exception {
        CliRun run = CliRun.of("event", "--config", config.toString(), "2", "repmgrd_failover_promote", "0",
                "2024-05-01 10:00:00+00", "promotion", "failed");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        String line = Files.readAllLines(dir.resolve("events.jsonl")).get(0);
        assertThat(run.out().strip()).isEqualTo(line);
        var json = new ObjectMapper().readTree(line);
        assertThat(json.get("success").asBoolean()).isFalse();
        assertThat(json.get("details").asText()).isEqualTo("promotion failed");
        assertThat(json.get("node").asText()).isEqualTo("n2");
        assertThat(json.get("ts").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
    }

    @Test
    void theEventCommandAloneParsesAndAnswersAsTheWholeTreeDoes() throws Exception {
        String[][] cases = {{"event", "--help"}, {"event", "--version"}, {"event"}, {"event", "--bogus", "1"},
            {"event", "--config", dir.resolve("missing.yaml").toString(), "2", "x", "1", "t"},
            {"event", "--config", config.toString(), "2", "standby_promote", "1", "2024-05-01 10:00:00+00", "a", "b"}};
        for (String[] args : cases) {
            CliRun alone = CliRun.of(args);
            CliRun tree = CliRun.throughWholeTree(args);
            assertThat(alone.exitCode()).as(String.join(" ", args)).isEqualTo(tree.exitCode());
            assertThat(withoutTimes(alone.out())).as(String.join(" ", args)).isEqualTo(withoutTimes(tree.out()));
            assertThat(alone.err()).as(String.join(" ", args)).isEqualTo(tree.err());
        }
        List<String> recorded = Files.readAllLines(dir.resolve("events.jsonl"));
        assertThat(recorded).hasSize(2);
        assertThat(withoutTimes(recorded.get(0))).isEqualTo(withoutTimes(recorded.get(1)));
    }

    private static String withoutTimes(String text) {
        return text.replaceAll("\"ts\":\"[^\"]*\"", "\"ts\":\"…\"");
    }

    @Test
    void everyCommandHasHelp() {
        for (String[] cmd : new String[][] {{"--help"}, {"promote", "--help"}, {"flip", "--help"}, {"flip", "status", "--help"},
                {"flip", "assign", "--help"}, {"flip", "unassign", "--help"}, {"event", "--help"}}) {
            CliRun run = CliRun.of(cmd);
            assertThat(run.exitCode()).isZero();
            assertThat(run.out()).contains("Usage: pgflip");
        }
    }
}
