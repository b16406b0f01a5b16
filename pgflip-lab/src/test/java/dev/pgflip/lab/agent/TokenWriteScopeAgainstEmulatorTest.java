package dev.pgflip.lab.agent;

import static dev.pgflip.lab.agent.EmulatedCloud.FLIP;
import static dev.pgflip.lab.agent.EmulatedCloud.OTHER_DROPLET;
import static dev.pgflip.lab.agent.EmulatedCloud.THIS_DROPLET;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/**
 * The token's write scope against the DigitalOcean emulator over real HTTP: {@code pgflip doctor}'s token_write_scope
 * passes for the read-write token and fails with its fix for a read-only one, moving nothing either way; and a
 * read-only token's assign ends {@code pgflip flip assign} at once with exit 4 and that fix.
 */
class TokenWriteScopeAgainstEmulatorTest extends AgainstTheEmulator {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** pgflip doctor -o json for a node whose PostgreSQL is not there (port 1): only the API checks matter here. */
    JsonNode doctor(String resource) throws Exception {
        String config = cloud.config().resource(resource).database("127.0.0.1", 1).write();
        AgentRun run = cloud.pgflip("doctor", "--config", config, "--repmgr-config", dir.resolve("absent.conf").toString(),
                "-o", "json");
        return JSON.readTree(run.out());
    }

    static JsonNode check(JsonNode report, String name) {
        for (JsonNode c : report.path("checks")) {
            if (c.path("check").asText().equals(name)) {
                return c;
            }
        }
        throw new AssertionError("no check " + name + " in " + report);
    }

    @Test
    void theReadWriteTokenPassesTheWriteScopeCheckAndNothingMoves() throws Exception {
        int actionsBefore = cloud.actions().size();

        JsonNode report = doctor("reserved_ips");

        assertThat(check(report, "token_accepted").path("status").asText()).isEqualTo("ok");
        JsonNode scope = check(report, "token_write_scope");
        assertThat(scope.path("status").asText()).as(scope.toString()).isEqualTo("ok");
        assertThat(scope.path("message").asText()).isEqualTo("the token may move reserved IP " + FLIP + ": a probe"
                + " action the API cannot carry out passed the scope check and was refused for itself (422"
                + " unprocessable_entity); nothing changed");
        assertThat(cloud.actions()).hasSize(actionsBefore);
        assertThat(cloud.holder()).hasValue(OTHER_DROPLET);
    }

    @Test
    void aReadOnlyTokenIsAcceptedButFailsTheWriteScopeCheckWithTheFix() throws Exception {
        cloud.giveTheAgentTheReadOnlyToken();
        int actionsBefore = cloud.actions().size();

        JsonNode report = doctor("floating_ips");

        assertThat(check(report, "token_accepted").path("status").asText()).as("reads work").isEqualTo("ok");
        assertThat(check(report, "flip_region").path("status").asText()).isEqualTo("ok");
        JsonNode scope = check(report, "token_write_scope");
        assertThat(scope.path("status").asText()).isEqualTo("fail");
        assertThat(scope.path("message").asText()).isEqualTo("DigitalOcean refused POST /v2/floating_ips/" + FLIP
                + "/actions with 403 forbidden (\"You do not have access for the attempted action.\"): the token lacks"
                + " write scope, so it cannot move the IP; a failover would promote a node but leave floating IP "
                + FLIP + " where it is");
        assertThat(scope.path("fix").asText()).isEqualTo("create a token with read and write scope (or the custom"
                + " scopes reserved_ip:read, reserved_ip:update, actions:read and droplet:read) and put it in"
                + " digitalocean.token_file " + cloud.tokenFile() + ", then restart pgflip watch (it reads the token"
                + " when it starts)");
        assertThat(cloud.actions()).hasSize(actionsBefore);
        assertThat(cloud.holder()).hasValue(OTHER_DROPLET);
    }

    @Test
    void aReadOnlyTokensAssignExitsFourAtOnceWithTheFixAndMovesNothing() throws Exception {
        cloud.giveTheAgentTheReadOnlyToken();
        int actionsBefore = cloud.actions().size();

        AgentRun run = cloud.pgflip("flip", "assign", Long.toString(THIS_DROPLET), "--wait", "--config",
                cloud.config().write());

        assertThat(run.exitCode()).as(run.describe()).isEqualTo(4);
        assertThat(run.errLine()).startsWith("pgflip flip assign: ")
                .contains("403 forbidden").contains("lacks write scope")
                .contains("put it in digitalocean.token_file " + cloud.tokenFile());
        assertThat(cloud.actions()).hasSize(actionsBefore);
        assertThat(cloud.holder()).hasValue(OTHER_DROPLET);
    }
}
