package dev.pgflip.lab.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pgflip.lab.tls.TestTls;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A read-only token, over real HTTP: it reads what the read-write token reads, and every write it tries gets 403
 * forbidden with DigitalOcean's body, changing nothing; the read-write token's answers stay as they were.
 */
class ReadOnlyTokenTest {
    static final String TOKEN = "read-write-token";
    static final String READ_ONLY = "read-only-token";
    static final String IP = "198.18.0.100";
    static final String FORBIDDEN = "You do not have access for the attempted action.";

    DigitalOceanEmulator emulator;
    ApiClient writer;
    ApiClient reader;

    @BeforeEach
    void start() throws Exception {
        emulator = DigitalOceanEmulator.builder().tls(TestTls.serverContext()).token(TOKEN).readOnlyToken(READ_ONLY)
                .actionDelay(Duration.ofMillis(50))
                .droplet(new EmulatedDroplet(1001, "pg1", "10.77.0.11", "10.78.0.11"))
                .droplet(new EmulatedDroplet(1002, "pg2", "10.77.0.12", "10.78.0.12"))
                .build();
        writer = new ApiClient(emulator.baseUrl(), TOKEN);
        reader = writer.withToken(READ_ONLY);
        assertThat(writer.post("/v2/floating_ips", "{\"droplet_id\":1001,\"ip\":\"" + IP + "\"}").status()).isEqualTo(202);
        writer.awaitGet("/v2/floating_ips/" + IP, a -> !a.json().at("/floating_ip/locked").asBoolean(),
                Duration.ofSeconds(5));
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    @Test
    void aReadOnlyTokenReadsEverythingTheReadWriteTokenReads() throws Exception {
        long actionId = emulator.actions().get(0).id();
        for (String path : List.of("/v2/account", "/v2/floating_ips", "/v2/reserved_ips/" + IP, "/v2/droplets",
                "/v2/droplets/1002", "/v2/actions/" + actionId, "/v2/floating_ips/" + IP + "/actions")) {
            ApiClient.Answer read = reader.get(path);
            assertThat(read.status()).as(path).isEqualTo(200);
            assertThat(read.text()).as(path).isEqualTo(writer.get(path).text());
        }
        assertThat(reader.get("/v2/droplets/999").status()).as("an unknown droplet is still 404").isEqualTo(404);
    }

    @Test
    void everyWriteOfAReadOnlyTokenIsForbiddenWithDigitalOceansBody() throws Exception {
        List<ApiClient.Answer> writes = List.of(
                reader.post("/v2/floating_ips/" + IP + "/actions", "{\"type\":\"assign\",\"droplet_id\":1002}"),
                reader.post("/v2/reserved_ips/" + IP + "/actions", "{\"type\":\"unassign\"}"),
                reader.post("/v2/floating_ips", "{\"region\":\"lab1\"}"),
                reader.delete("/v2/reserved_ips/" + IP),
                reader.post("/v2/account", "{}"));

        for (ApiClient.Answer answer : writes) {
            assertThat(answer.status()).as(answer.text()).isEqualTo(403);
            assertThat(answer.headers().firstValue("content-type")).hasValue("application/json; charset=utf-8");
            assertThat(answer.json().get("id").asText()).isEqualTo("forbidden");
            assertThat(answer.json().get("message").asText()).isEqualTo(FORBIDDEN);
            assertThat(UUID.fromString(answer.json().get("request_id").asText())).isNotNull();
        }
    }

    @Test
    void aForbiddenWriteChangesNothing() throws Exception {
        int actionsBefore = emulator.actions().size();

        reader.post("/v2/floating_ips/" + IP + "/actions", "{\"type\":\"assign\",\"droplet_id\":1002}");
        reader.post("/v2/floating_ips/" + IP + "/actions", "{\"type\":\"unassign\"}");
        reader.delete("/v2/floating_ips/" + IP);
        reader.post("/v2/floating_ips", "{\"region\":\"lab1\"}");

        assertThat(emulator.actions()).hasSize(actionsBefore);
        ApiClient.Answer ip = writer.get("/v2/floating_ips/" + IP);
        assertThat(ip.json().at("/floating_ip/droplet/id").asLong()).isEqualTo(1001);
        assertThat(ip.json().at("/floating_ip/locked").asBoolean()).isFalse();
        assertThat(writer.get("/v2/floating_ips").json().at("/meta/total").asInt()).isEqualTo(1);
    }

    @Test
    void theScopeIsCheckedBeforeTheRequestItselfSoAWriteThatCouldNeverWorkIsStill403() throws Exception {
        // What pgflip doctor relies on: a write the API refuses anyway (unknown action type, an IP that does not exist)
        // answers 403 to a read-only token, and the read-write token gets the refusal itself.
        String unknownType = "{\"type\":\"no_such_action\"}";

        assertThat(reader.post("/v2/floating_ips/" + IP + "/actions", unknownType).status()).isEqualTo(403);
        assertThat(reader.post("/v2/floating_ips/198.18.9.9/actions", unknownType).status()).isEqualTo(403);
        assertThat(reader.post("/v2/floating_ips/" + IP + "/actions", "not json").status()).isEqualTo(403);
        ApiClient.Answer refused = writer.post("/v2/floating_ips/" + IP + "/actions", unknownType);
        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.json().get("id").asText()).isEqualTo("unprocessable_entity");
        assertThat(emulator.actions()).hasSize(1);
    }

    @Test
    void assigningTheIpToItsHolderIs422ForTheReadWriteTokenAnd403ForTheReadOnlyOne() throws Exception {
        String toHolder = "{\"type\":\"assign\",\"droplet_id\":1001}";

        ApiClient.Answer write = writer.post("/v2/reserved_ips/" + IP + "/actions", toHolder);
        ApiClient.Answer read = reader.post("/v2/reserved_ips/" + IP + "/actions", toHolder);

        assertThat(write.status()).isEqualTo(422);
        assertThat(write.json().get("message").asText()).isEqualTo("The reserved IP is already assigned to that Droplet.");
        assertThat(read.status()).isEqualTo(403);
        assertThat(emulator.actions()).hasSize(1);
    }

    @Test
    void aForbiddenAnswerCarriesTheRateLimitHeadersAndCountsAgainstTheBudget() throws Exception {
        ApiClient.Answer read = reader.get("/v2/droplets");
        ApiClient.Answer forbidden = reader.post("/v2/floating_ips", "{\"region\":\"lab1\"}");

        assertThat(forbidden.header("ratelimit-limit")).isEqualTo(5000);
        assertThat(forbidden.header("ratelimit-remaining")).isEqualTo(read.header("ratelimit-remaining") - 1);
        assertThat(forbidden.header("ratelimit-reset")).isPositive();
    }

    @Test
    void anUnknownTokenIsStill401ForReadsAndWrites() throws Exception {
        assertThat(writer.withToken("read-only-tokenX").get("/v2/droplets").status()).isEqualTo(401);
        ApiClient.Answer write = writer.withToken("read-only-tokenX").post("/v2/floating_ips", "{\"region\":\"lab1\"}");
        assertThat(write.status()).isEqualTo(401);
        assertThat(write.json().get("id").asText()).isEqualTo("unauthorized");
    }

    @Test
    void theEmulatorsOwnControlsTakeTheReadWriteTokenOnly() throws Exception {
        assertThat(reader.get("/_emulator/actions").status()).isEqualTo(401);
        assertThat(reader.post("/_emulator/faults", "{\"status\":500}").status()).isEqualTo(401);
        assertThat(writer.get("/_emulator/actions").status()).isEqualTo(200);
    }

    @Test
    void aReadOnlyTokenThatIsTheReadWriteTokenIsRefusedWithoutShowingIt() {
        assertThatThrownBy(() -> DigitalOceanEmulator.builder().tls(TestTls.serverContext()).token(TOKEN)
                .readOnlyToken(READ_ONLY).readOnlyToken(TOKEN).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("readOnlyTokens: one is the read-write token itself")
                .hasMessageNotContaining(TOKEN);
    }
}
