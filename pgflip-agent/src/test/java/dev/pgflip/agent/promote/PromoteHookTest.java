package dev.pgflip.agent.promote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pgflip.agent.ExitCode;
import dev.pgflip.agent.PgflipException;
import dev.pgflip.agent.node.NodeRole;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole hook from its config file to its events file, with the role probe faked (no PostgreSQL here). Returning
 * normally is exit 0: {@code PromoteCommand} returns {@code ExitCode.OK} when {@link PromoteHook#run} returns.
 */
class PromoteHookTest {
    @TempDir
    Path dir;
    final AtomicInteger probesOpened = new AtomicInteger();

    Path config(String flipSection) throws Exception {
        Path file = dir.resolve("agent.yaml");
        Files.writeString(file, String.join("\n",
                "node:",
                "  name: n2",
                "  droplet_id: 1002",
                "  database: {host: 127.0.0.1, port: 5432, dbname: repmgr, user: repmgr}",
                "promote:",
                "  command: [/bin/sh, -c, 'touch " + dir.resolve("promoted") + "']",
                "  deadline: 5s",
                "events: {log_file: " + dir.resolve("events.jsonl") + "}",
                flipSection,
                ""));
        return file;
    }

    static String failingExec() {
        return String.join("\n",
                "flip: {ip: 198.18.0.100, provider: exec}",
                "exec:",
                "  command: [/bin/sh, -c, 'echo \"503 Service Unavailable\" >&2; exit 1']");
    }

    String digitalOceanWithTokenFile(Path tokenFile) {
        return String.join("\n",
                "flip: {ip: 198.18.0.100, provider: digitalocean}",
                "digitalocean:",
                "  api_url: https://127.0.0.1:1",
                "  token_file: " + tokenFile,
                "  metadata_url: http://127.0.0.1:1/metadata/v1");
    }

    PromoteReport run(Path config, PromoteHook.Mode mode, NodeRole role) {
        return PromoteHook.run(config, mode, Map.of(), db -> {
            probesOpened.incrementAndGet();
            return () -> role;
        });
    }

    List<JsonNode> events() throws Exception {
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> events = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("events.jsonl"))) {
            events.add(json.readTree(line));
        }
        return events;
    }

    List<String> eventNames() throws Exception {
        return events().stream().map(e -> e.path("event").asText()).toList();
    }

    @Test
    void theWrappersHookExitsZeroWhenTheNodeIsPrimaryButTheIpCannotMove() throws Exception {
        PromoteReport report = run(config(failingExec()), PromoteHook.Mode.ALREADY_PROMOTED, NodeRole.PRIMARY);

        assertThat(report.deferral()).hasValueSatisfying(d -> assertThat(d.reason()).contains("503 Service Unavailable"));
        assertThat(eventNames()).containsExactly("pgflip_promote_started", "pgflip_node_writable",
                "pgflip_flip_deferred", "pgflip_promote_done");
        JsonNode deferred = events().get(2);
        assertThat(deferred.path("node").asText()).isEqualTo("n2");
        assertThat(deferred.path("success").asBoolean()).isFalse();
        assertThat(deferred.path("reason").asText()).isEqualTo("api_trouble");
        assertThat(deferred.path("ip").asText()).isEqualTo("198.18.0.100");
        assertThat(events().get(3).path("flip_moved").asBoolean()).isFalse();
    }

    @Test
    void thePromotePathExitsZeroTooOnceItsNodeIsPrimary() throws Exception {
        PromoteReport report = run(config(failingExec()), PromoteHook.Mode.PROMOTE, NodeRole.PRIMARY);

        assertThat(report.deferral()).isPresent();
        assertThat(dir.resolve("promoted")).exists();
        assertThat(eventNames()).contains("pgflip_flip_deferred", "pgflip_promote_done")
                .doesNotContain("pgflip_promote_failed");
    }

    @Test
    void afterTheWrappersPromotionAMissingTokenIsADeferredMoveNotAFailedPromotion() throws Exception {
        Path config = config(digitalOceanWithTokenFile(dir.resolve("no-such-token")));

        PromoteReport report = run(config, PromoteHook.Mode.ALREADY_PROMOTED, NodeRole.PRIMARY);

        assertThat(report.deferral()).hasValueSatisfying(d -> {
            assertThat(d.kind()).isEqualTo(FlipDeferral.Kind.NEEDS_CONFIGURATION_FIX);
            assertThat(d.reason()).contains("digitalocean.token_file").contains("no-such-token");
        });
        assertThat(events().get(2).path("reason").asText()).isEqualTo("needs_configuration_fix");
    }

    @Test
    void beforePromotingAMissingTokenStillStopsTheHookWithExit2AndNothingPromoted() throws Exception {
        Path config = config(digitalOceanWithTokenFile(dir.resolve("no-such-token")));

        assertThatThrownBy(() -> run(config, PromoteHook.Mode.PROMOTE, NodeRole.PRIMARY))
                .isInstanceOf(PgflipException.class)
                .satisfies(e -> assertThat(((PgflipException) e).exitCode()).isEqualTo(ExitCode.USAGE));
        assertThat(dir.resolve("promoted")).doesNotExist();
        assertThat(probesOpened).hasValue(0);
    }

    @Test
    void aNodeThatNeverAnswersAsPrimaryIsStillExit1AndRecordedAsAFailedPromotion() throws Exception {
        Path config = config(failingExec());
        Files.writeString(config, Files.readString(config).replace("deadline: 5s", "deadline: 300ms"));

        assertThatThrownBy(() -> run(config, PromoteHook.Mode.ALREADY_PROMOTED, NodeRole.STANDBY))
                .isInstanceOf(PromoteFailedException.class)
                .satisfies(e -> assertThat(((PgflipException) e).exitCode()).isEqualTo(ExitCode.PROMOTE_FAILED));
        assertThat(eventNames()).containsExactly("pgflip_promote_started", "pgflip_promote_failed");
    }
}
