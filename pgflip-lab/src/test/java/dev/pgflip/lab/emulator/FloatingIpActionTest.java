package dev.pgflip.lab.emulator;

import dev.pgflip.lab.tls.TestTls;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Assign/unassign actions: in-progress, locking, the 422 rules, completion through the mover. */
class FloatingIpActionTest {
    static final String TOKEN = "action-token";
    static final String IP = "198.18.0.100";
    static final Duration DELAY = Duration.ofMillis(100);
    static final Duration DEADLINE = Duration.ofSeconds(5);

    static final Duration VISIBILITY_DELAY = Duration.ofSeconds(2);

    RecordingMover mover = new RecordingMover();
    ManualClock clock = new ManualClock();
    DigitalOceanEmulator emulator;
    ApiClient api;

    @BeforeEach
    void start() throws Exception {
        emulator = DigitalOceanEmulator.builder().tls(TestTls.serverContext()).token(TOKEN).actionDelay(DELAY).flipMover(mover)
                .actionVisibilityDelay(VISIBILITY_DELAY).clock(clock)
                .droplet(new EmulatedDroplet(1001, "pg1", "10.77.0.11", "10.78.0.11"))
                .droplet(new EmulatedDroplet(1002, "pg2", "10.77.0.12", "10.78.0.12"))
                .droplet(new EmulatedDroplet(1003, "pg3", "10.77.0.13", null))
                .droplet(new EmulatedDroplet(2001, "far1", "10.77.1.11", null, "lab2"))
                .build();
        api = new ApiClient(emulator.baseUrl(), TOKEN);
        assertThat(api.post("/v2/floating_ips", "{\"region\":\"lab1\",\"ip\":\"" + IP + "\"}").status())
                .isEqualTo(202);
    }

    @AfterEach
    void stop() {
        mover.release();
        emulator.close();
    }

    @Test
    void theActionDelayCanBeSetWhileRunningForDigitalOceansRealTiming() throws Exception {
        assertThat(api.get("/_emulator/settings").json().get("action_delay_ms").asLong()).isEqualTo(DELAY.toMillis());
        ApiClient.Answer set = api.put("/_emulator/settings", "{\"action_delay_ms\":3600000}");
        assertThat(set.status()).isEqualTo(200);
        assertThat(set.json().get("action_delay_ms").asLong()).isEqualTo(3_600_000);

        long id = assign(IP, 1001).json().get("action").get("id").asLong();
        // Five times the old delay: with 100 ms the action would be long completed; with an hour it cannot be.
        Thread.sleep(DELAY.toMillis() * 5);
        assertThat(api.get("/v2/floating_ips/" + IP + "/actions/" + id).json().get("action").get("status").asText())
                .isEqualTo("in-progress");
        assertThat(mover.moves()).isEmpty();

        assertThat(api.put("/_emulator/settings", "{\"action_delay_ms\":-1}").status()).isEqualTo(422);
        assertThat(api.put("/_emulator/settings", "{\"action_delay_ms\":\"5s\"}").status()).isEqualTo(422);
        assertThat(api.put("/_emulator/settings", "{}").status()).isEqualTo(422);
        assertThat(api.get("/_emulator/settings").json().get("action_delay_ms").asLong()).isEqualTo(3_600_000);
    }

    @Test
    void assignStartsInProgressLocksTheIpAndCompletesAfterTheDelay() throws Exception {
        mover.hold();
        ApiClient.Answer started = assign(IP, 1001);

        assertThat(started.status()).isEqualTo(201);
        JsonNode action = started.json().get("action");
        assertThat(action.get("status").asText()).isEqualTo("in-progress");
        assertThat(action.get("type").asText()).isEqualTo("assign_ip");
        assertThat(action.get("completed_at").isNull()).isTrue();
        assertThat(action.get("resource_id").asLong()).isEqualTo(198L << 24 | 18 << 16 | 100);
        assertThat(action.get("resource_type").asText()).isEqualTo("floating_ip");
        assertThat(action.get("region_slug").asText()).isEqualTo("lab1");
        assertThat(action.get("region").get("slug").asText()).isEqualTo("lab1");
        JsonNode during = ip(IP);
        assertThat(during.get("locked").asBoolean()).isTrue();
        assertThat(during.get("droplet").isNull()).as("the droplet changes only on completion").isTrue();

        ApiClient.Answer second = assign(IP, 1002);
        assertThat(second.status()).isEqualTo(422);
        assertThat(second.json().get("message").asText()).isEqualTo("The floating IP already has a pending event.");

        long id = action.get("id").asLong();
        mover.release();
        JsonNode done = awaitFinished("/v2/floating_ips/" + IP + "/actions/" + id);
        assertThat(done.get("status").asText()).isEqualTo("completed");
        assertThat(done.get("completed_at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
        JsonNode after = ip(IP);
        assertThat(after.get("locked").asBoolean()).isFalse();
        assertThat(after.get("droplet").get("id").asLong()).isEqualTo(1001);
        assertThat(mover.moves()).containsExactly(new RecordingMover.Move(IP, OptionalLong.empty(), OptionalLong.of(1001)));
    }

    @Test
    void reassigningMovesFromTheOldHolderToTheNewOneExactlyOnce() throws Exception {
        assignAndWait(IP, 1001);

        assignAndWait(IP, 1002);

        assertThat(ip(IP).get("droplet").get("id").asLong()).isEqualTo(1002);
        assertThat(mover.moves()).containsExactly(
                new RecordingMover.Move(IP, OptionalLong.empty(), OptionalLong.of(1001)),
                new RecordingMover.Move(IP, OptionalLong.of(1001), OptionalLong.of(1002)));
        assertThat(emulator.actions()).extracting(ActionRecord::status)
                .containsExactly(ActionStatus.COMPLETED, ActionStatus.COMPLETED);
    }

    @Test
    void unassignLeavesTheIpWithoutADroplet() throws Exception {
        assignAndWait(IP, 1001);

        ApiClient.Answer started = api.post("/v2/reserved_ips/" + IP + "/actions", "{\"type\":\"unassign\"}");

        assertThat(started.status()).isEqualTo(201);
        JsonNode action = started.json().get("action");
        assertThat(action.get("type").asText()).isEqualTo("unassign_ip");
        assertThat(action.get("resource_type").asText()).isEqualTo("reserved_ip");
        clock.advance(VISIBILITY_DELAY);
        assertThat(awaitFinished("/v2/actions/" + action.get("id").asLong()).get("status").asText())
                .isEqualTo("completed");
        assertThat(ip(IP).get("droplet").isNull()).isTrue();
        assertThat(mover.moves()).last().isEqualTo(new RecordingMover.Move(IP, OptionalLong.of(1001), OptionalLong.empty()));
    }

    @Test
    void assigningToTheCurrentHolderIsRefused() throws Exception {
        assignAndWait(IP, 1001);

        ApiClient.Answer again = assign(IP, 1001);

        assertThat(again.status()).isEqualTo(422);
        assertThat(again.json().get("id").asText()).isEqualTo("unprocessable_entity");
        assertThat(mover.moves()).hasSize(1);
    }

    @Test
    void assigningToADropletInAnotherRegionIsRefused() throws Exception {
        ApiClient.Answer answer = assign(IP, 2001);

        assertThat(answer.status()).isEqualTo(422);
        assertThat(answer.json().get("message").asText()).contains("region");
        assertThat(ip(IP).get("locked").asBoolean()).isFalse();
    }

    @Test
    void aDropletHoldsAtMostOneIp() throws Exception {
        api.post("/v2/floating_ips", "{\"region\":\"lab1\",\"ip\":\"198.18.0.101\"}");
        assignAndWait(IP, 1001);

        ApiClient.Answer second = assign("198.18.0.101", 1001);

        assertThat(second.status()).isEqualTo(422);
        assertThat(second.json().get("message").asText()).contains("already has a floating IP");
    }

    @Test
    void aDropletWithAPendingActionRefusesAnother() throws Exception {
        mover.hold();
        api.post("/v2/floating_ips", "{\"region\":\"lab1\",\"ip\":\"198.18.0.101\"}");
        assertThat(assign(IP, 1003).status()).isEqualTo(201);

        ApiClient.Answer second = assign("198.18.0.101", 1003);

        assertThat(second.status()).isEqualTo(422);
        assertThat(second.json().get("message").asText()).isEqualTo("Droplet already has a pending event.");
        mover.release();
    }

    @Test
    void unknownDropletOrIpInAnActionIsNotFound() throws Exception {
        assertThat(assign(IP, 9999).status()).isEqualTo(404);
        assertThat(assign("198.18.7.7", 1001).status()).isEqualTo(404);
    }

    @Test
    void badActionBodiesNameTheField() throws Exception {
        ApiClient.Answer badType = api.post("/v2/floating_ips/" + IP + "/actions", "{\"type\":\"teleport\"}");
        ApiClient.Answer noDroplet = api.post("/v2/floating_ips/" + IP + "/actions", "{\"type\":\"assign\"}");
        ApiClient.Answer unassigned = api.post("/v2/floating_ips/" + IP + "/actions", "{\"type\":\"unassign\"}");

        assertThat(badType.status()).isEqualTo(422);
        assertThat(badType.json().get("message").asText()).contains("type");
        assertThat(noDroplet.status()).isEqualTo(422);
        assertThat(noDroplet.json().get("message").asText()).contains("droplet_id");
        assertThat(unassigned.status()).isEqualTo(422);
        assertThat(api.post("/v2/floating_ips/" + IP + "/actions", "not json").status()).isEqualTo(400);
    }

    @Test
    void aFailingMoverLeavesTheActionErroredAndTheIpWhereItWas() throws Exception {
        assignAndWait(IP, 1001);
        mover.failFromNowOn();

        long id = assign(IP, 1002).json().get("action").get("id").asLong();
        clock.advance(VISIBILITY_DELAY);

        assertThat(awaitFinished("/v2/actions/" + id).get("status").asText()).isEqualTo("errored");
        JsonNode after = ip(IP);
        assertThat(after.get("droplet").get("id").asLong()).isEqualTo(1001);
        assertThat(after.get("locked").asBoolean()).isFalse();
        assertThat(mover.moves()).hasSize(2);
    }

    @Test
    void aNewActionIsInvisibleOnTheActionsEndpointForTheVisibilityDelay() throws Exception {
        long id = assign(IP, 1001).json().get("action").get("id").asLong();

        ApiClient.Answer early = api.get("/v2/actions/" + id);
        clock.advance(VISIBILITY_DELAY);
        ApiClient.Answer later = api.get("/v2/actions/" + id);

        assertThat(early.status()).isEqualTo(404);
        assertThat(early.json().get("id").asText()).isEqualTo("not_found");
        assertThat(later.status()).isEqualTo(200);
        assertThat(later.json().get("action").get("id").asLong()).isEqualTo(id);
    }

    @Test
    void theIpsOwnActionPathIsNotSubjectToTheVisibilityDelay() throws Exception {
        long id = assign(IP, 1001).json().get("action").get("id").asLong();

        assertThat(api.get("/v2/floating_ips/" + IP + "/actions/" + id).status()).isEqualTo(200);
    }

    @Test
    void creatingOnADropletRunsAnAssignAction() throws Exception {
        mover.hold();
        ApiClient.Answer created = api.post("/v2/floating_ips", "{\"droplet_id\":1002,\"ip\":\"198.18.0.102\"}");

        assertThat(created.status()).isEqualTo(202);
        JsonNode links = created.json().get("links");
        assertThat(links.get("droplets").get(0).get("id").asLong()).isEqualTo(1002);
        long actionId = links.get("actions").get(0).get("id").asLong();
        assertThat(links.get("actions").get(0).get("rel").asText()).isEqualTo("assign_ip");
        assertThat(created.json().get("floating_ip").get("locked").asBoolean()).isTrue();
        mover.release();
        assertThat(awaitFinished("/v2/floating_ips/198.18.0.102/actions/" + actionId).get("status").asText())
                .isEqualTo("completed");
        assertThat(ip("198.18.0.102").get("droplet").get("id").asLong()).isEqualTo(1002);
        assertThat(mover.moves()).containsExactly(
                new RecordingMover.Move("198.18.0.102", OptionalLong.empty(), OptionalLong.of(1002)));
    }

    @Test
    void aLockedIpCannotBeDeleted() throws Exception {
        mover.hold();
        assign(IP, 1001);

        assertThat(api.delete("/v2/floating_ips/" + IP).status()).isEqualTo(422);
        mover.release();
    }

    @Test
    void actionListsShowEveryActionOfTheIp() throws Exception {
        assignAndWait(IP, 1001);
        assignAndWait(IP, 1002);

        JsonNode list = api.get("/v2/floating_ips/" + IP + "/actions").json();

        assertThat(list.get("meta").get("total").asInt()).isEqualTo(2);
        assertThat(list.get("actions")).extracting(a -> a.get("status").asText())
                .containsExactly("completed", "completed");
        assertThat(api.get("/v2/actions").json().get("meta").get("total").asInt()).isEqualTo(2);
    }

    private ApiClient.Answer assign(String ip, long droplet) throws Exception {
        return api.post("/v2/floating_ips/" + ip + "/actions", "{\"type\":\"assign\",\"droplet_id\":" + droplet + "}");
    }

    private void assignAndWait(String ip, long droplet) throws Exception {
        ApiClient.Answer started = assign(ip, droplet);
        assertThat(started.status()).as(started.text()).isEqualTo(201);
        long id = started.json().get("action").get("id").asLong();
        assertThat(awaitFinished("/v2/floating_ips/" + ip + "/actions/" + id).get("status").asText())
                .isEqualTo("completed");
    }

    private JsonNode awaitFinished(String path) throws Exception {
        return api.awaitGet(path, a -> a.status() == 200
                && !a.json().get("action").get("status").asText().equals("in-progress"), DEADLINE)
                .json().get("action");
    }

    private JsonNode ip(String ip) throws Exception {
        ApiClient.Answer answer = api.get("/v2/floating_ips/" + ip);
        assertThat(answer.status()).isEqualTo(200);
        return answer.json().get("floating_ip");
    }
}
