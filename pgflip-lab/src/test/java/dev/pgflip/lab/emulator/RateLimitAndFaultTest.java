package dev.pgflip.lab.emulator;

import dev.pgflip.lab.tls.TestTls;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Rate-limit headers and 429s, and every injected fault, through Java and through the admin endpoint. The rate-limit
 * windows run on a manual clock, so each header has one right value; an injected latency is checked by what the
 * emulator counts as delayed (and by a lower bound on the time it took, which no slow machine can break), never by an
 * upper bound on wall-clock time.
 */
class RateLimitAndFaultTest {
    static final String TOKEN = "fault-token";

    final ManualClock clock = new ManualClock();
    DigitalOceanEmulator emulator;
    ApiClient api;

    private void start(int perHour, int perMinute) {
        emulator = DigitalOceanEmulator.builder().tls(TestTls.serverContext()).token(TOKEN).rateLimit(perHour, perMinute)
                .actionDelay(Duration.ofMillis(100))
                .droplet(new EmulatedDroplet(1001, "pg1", "10.77.0.11", null))
                .clock(clock)
                .build();
        api = new ApiClient(emulator.baseUrl(), TOKEN);
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    @Test
    void everyApiAnswerCarriesDecreasingRateLimitHeaders() throws Exception {
        start(5000, 250);

        ApiClient.Answer first = api.get("/v2/droplets");
        ApiClient.Answer second = api.get("/v2/droplets/1001");
        ApiClient.Answer unauthorized = api.withToken("nope").get("/v2/droplets");

        assertThat(first.header("ratelimit-limit")).isEqualTo(5000);
        assertThat(first.header("ratelimit-remaining")).isEqualTo(4999);
        assertThat(second.header("ratelimit-remaining")).isEqualTo(4998);
        assertThat(unauthorized.header("ratelimit-remaining")).isEqualTo(4997);
        assertThat(first.header("ratelimit-reset")).as("when the oldest counted request leaves the hour")
                .isEqualTo(clock.instant().plus(Duration.ofHours(1)).getEpochSecond());
    }

    @Test
    void theMinuteBurstBudgetRunsOutWith429AndRetryAfter() throws Exception {
        start(100, 3);
        for (int i = 0; i < 3; i++) {
            assertThat(api.get("/v2/droplets").status()).isEqualTo(200);
        }

        ApiClient.Answer limited = api.get("/v2/droplets");

        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.json().get("id").asText()).isEqualTo("too_many_requests");
        assertThat(limited.header("retry-after")).as("the first request leaves the minute 60 s on").isEqualTo(60);
        assertThat(limited.header("ratelimit-remaining")).isEqualTo(97);

        clock.advance(Duration.ofSeconds(45));
        assertThat(api.get("/v2/droplets").header("retry-after")).as("15 s later on the manual clock").isEqualTo(15);
        clock.advance(Duration.ofSeconds(15));
        assertThat(api.get("/v2/droplets").status()).as("the minute has passed").isEqualTo(200);
    }

    @Test
    void theHourlyBudgetRunsOutWithRemainingZero() throws Exception {
        start(2, 250);
        api.get("/v2/droplets");
        ApiClient.Answer last = api.get("/v2/droplets");

        ApiClient.Answer limited = api.get("/v2/droplets");

        assertThat(last.header("ratelimit-remaining")).isZero();
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.header("retry-after")).isEqualTo(3600);
    }

    @Test
    void twoInjected429sAreFollowedByNormalAnswers() throws Exception {
        start(5000, 250);
        emulator.faults().failNext(429, 2);

        ApiClient.Answer first = api.get("/v2/droplets");
        ApiClient.Answer second = api.get("/v2/droplets");
        ApiClient.Answer third = api.get("/v2/droplets");

        assertThat(first.status()).isEqualTo(429);
        assertThat(first.header("retry-after")).isEqualTo(1);
        assertThat(first.json().get("id").asText()).isEqualTo("too_many_requests");
        assertThat(second.status()).isEqualTo(429);
        assertThat(third.status()).isEqualTo(200);
    }

    @Test
    void anInjected500HasTheRealServerErrorBody() throws Exception {
        start(5000, 250);
        ApiClient.Answer added = api.post("/_emulator/faults", "{\"status\":500,\"count\":1}");

        ApiClient.Answer failed = api.get("/v2/floating_ips");

        assertThat(added.status()).isEqualTo(204);
        assertThat(failed.status()).isEqualTo(500);
        assertThat(failed.json().get("id").asText()).isEqualTo("server_error");
        assertThat(failed.json().has("request_id")).isTrue();
        assertThat(api.get("/v2/floating_ips").status()).isEqualTo(200);
    }

    @Test
    void theAdminEndpointCountsTheInjectedErrorsNotYetAnswered() throws Exception {
        start(5000, 250);
        api.post("/_emulator/faults", "{\"status\":429,\"count\":2}");
        api.post("/_emulator/faults", "{\"status\":500,\"count\":1}");

        int before = api.get("/_emulator/faults").json().get("pending_errors").asInt();
        api.get("/v2/droplets");
        int after = api.get("/_emulator/faults").json().get("pending_errors").asInt();
        api.delete("/_emulator/faults");

        assertThat(before).isEqualTo(3);
        assertThat(after).isEqualTo(2);
        assertThat(api.get("/_emulator/faults").json().get("pending_errors").asInt()).isZero();
    }

    @Test
    void faultsNeverTouchMetadataOrAdminPaths() throws Exception {
        start(5000, 250);
        emulator.faults().failNext(503, FaultInjector.UNTIL_CLEARED);

        assertThat(api.get("/v2/droplets").status()).isEqualTo(503);
        assertThat(api.get("/_emulator/actions").status()).isEqualTo(200);
        assertThat(api.delete("/_emulator/faults").status()).isEqualTo(204);
        assertThat(api.get("/v2/droplets").status()).isEqualTo(200);
    }

    @Test
    void injectedLatencyDelaysOnlyTheCountedRequests() throws Exception {
        start(5000, 250);
        api.get("/v2/droplets");
        api.post("/_emulator/faults", "{\"latency_ms\":400,\"count\":1}");

        long slow = timed(() -> api.get("/v2/droplets"));
        int delayedAfterSlow = emulator.faults().delayedRequests();
        api.get("/v2/droplets");

        assertThat(slow).as("the counted request waited out the latency").isGreaterThanOrEqualTo(400);
        assertThat(delayedAfterSlow).isEqualTo(1);
        assertThat(emulator.faults().delayedRequests()).as("the next request was not held").isEqualTo(1);
        assertThat(emulator.faults().latency()).as("the fault ran out after its one request").isEmpty();
    }

    @Test
    void aLatencyUntilClearedSlowsEveryApiCallButNoAdminCallAndCountsWhatItHeld() throws Exception {
        start(5000, 250);
        assertThat(api.post("/_emulator/faults", "{\"latency_ms\":300,\"count\":-1}").status()).isEqualTo(204);

        long first = timed(() -> api.get("/v2/droplets"));
        long second = timed(() -> api.get("/v2/floating_ips"));
        api.get("/_emulator/actions");
        ApiClient.Answer state = api.get("/_emulator/faults");

        assertThat(first).isGreaterThanOrEqualTo(300);
        assertThat(second).isGreaterThanOrEqualTo(300);
        assertThat(state.json().get("latency_ms").asLong()).isEqualTo(300);
        assertThat(state.json().get("delayed_requests").asInt()).as("the two API calls, not the admin ones")
                .isEqualTo(2);

        api.delete("/_emulator/faults");
        api.get("/v2/droplets");
        ApiClient.Answer cleared = api.get("/_emulator/faults");
        assertThat(cleared.json().get("latency_ms").isNull()).isTrue();
        assertThat(cleared.json().get("delayed_requests").asInt())
                .as("the API call after the clear was not held; the count is kept until the next latency fault")
                .isEqualTo(2);
    }

    @Test
    void refusedConnectionsComeBackOnTheSamePort() throws Exception {
        start(5000, 250);
        assertThat(api.post("/_emulator/faults", "{\"refuse_ms\":600}").status()).isEqualTo(204);

        ApiClient fresh = new ApiClient(emulator.baseUrl(), TOKEN);
        assertThatThrownBy(() -> fresh.get("/v2/droplets")).isInstanceOf(IOException.class);

        ApiClient.Answer back = new ApiClient(emulator.baseUrl(), TOKEN)
                .awaitGetTolerant("/v2/droplets", Duration.ofSeconds(5));
        assertThat(back.status()).isEqualTo(200);
    }

    @Test
    void adminEndpointsNeedTheTokenAndValidateTheirBody() throws Exception {
        start(5000, 250);

        assertThat(api.withToken(null).post("/_emulator/faults", "{\"status\":500}").status()).isEqualTo(401);
        ApiClient.Answer badStatus = api.post("/_emulator/faults", "{\"status\":418}");
        assertThat(badStatus.status()).isEqualTo(422);
        assertThat(badStatus.json().get("message").asText()).contains("status");
        assertThat(api.post("/_emulator/faults", "{\"latency_ms\":100,\"count\":0}").json().get("message").asText())
                .contains("count");
        assertThat(api.get("/v2/droplets").status()).as("nothing was injected").isEqualTo(200);
    }

    @Test
    void theAdminActionListShowsEveryAction() throws Exception {
        start(5000, 250);
        api.post("/v2/floating_ips", "{\"droplet_id\":1001,\"ip\":\"198.18.0.100\"}");

        ApiClient.Answer actions = api.get("/_emulator/actions");

        assertThat(actions.json().get("actions")).hasSize(1);
        assertThat(actions.json().get("actions").get(0).get("type").asText()).isEqualTo("assign_ip");
        assertThat(actions.json().get("actions").get(0).get("droplet_id").asLong()).isEqualTo(1001);
        assertThat(emulator.actions()).singleElement().extracting(ActionRecord::ip).isEqualTo("198.18.0.100");
    }

    interface Call {
        Object run() throws Exception;
    }

    private static long timed(Call call) throws Exception {
        long start = System.nanoTime();
        call.run();
        return Duration.ofNanos(System.nanoTime() - start).toMillis();
    }
}
