package dev.pgflip.agent.digitalocean;

import static dev.pgflip.agent.testing.ScriptedApi.action;
import static dev.pgflip.agent.testing.ScriptedApi.error;
import static dev.pgflip.agent.testing.ScriptedApi.ip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pgflip.agent.testing.ScriptedApi;
import dev.pgflip.agent.time.Deadline;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every HTTP exchange is told to the listener: its operation and status (each retry on its own), or no status. */
class ApiCallListenerTest {
    private static final String FIP = "198.18.0.100";
    private static final String ACTIONS = "POST /v2/reserved_ips/" + FIP + "/actions";

    private final List<String> told = new ArrayList<>();
    private final ApiCallListener listener = (operation, status, took) -> {
        assertThat(took.isNegative()).isFalse();
        told.add(operation.tag() + " " + (status.isPresent() ? status.getAsInt() : "none"));
    };
    private ScriptedApi api;

    @BeforeEach
    void start() throws Exception {
        api = new ScriptedApi();
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private DigitalOceanClient client(URI url) {
        RetryPolicy retry = new RetryPolicy(Duration.ofMillis(1), Duration.ofMillis(2), new Random(1), d -> {});
        return DigitalOceanClient.create(url, ScriptedApi.trust(), IpResource.RESERVED_IPS, Duration.ofSeconds(2),
                new ApiToken("t0ken"), retry, listener);
    }

    @Test
    void eachAttemptIsToldWithItsOperationAndStatus() {
        api.on(ACTIONS, 429, error("too_many_requests", "slow down"), Map.of("retry-after", "0"))
                .on(ACTIONS, 201, action(7, "in-progress"))
                .on("GET /v2/reserved_ips/" + FIP, 200, ip("reserved_ip", FIP, 1002L, false, "nyc3"))
                .on("GET /v2/actions/7", 404, error("not_found", "gone"))
                .on("GET /v2/reserved_ips/" + FIP + "/actions/7", 200, action(7, "completed"));
        DigitalOceanClient client = client(api.url());

        client.assign(FIP, 1002, Deadline.after(Duration.ofSeconds(5)));
        client.getFloatingIp(FIP, Deadline.after(Duration.ofSeconds(5)));
        client.getAction(FIP, 7, Deadline.after(Duration.ofSeconds(5)));

        assertThat(told).containsExactly("assign 429", "assign 201", "get_ip 200", "get_action 404",
                "get_action 200");
    }

    @Test
    void aRequestThatGetsNoAnswerIsToldWithoutStatus() throws Exception {
        int closedPort;
        try (ServerSocket free = new ServerSocket(0)) {
            closedPort = free.getLocalPort();
        }
        DigitalOceanClient client = client(URI.create("https://127.0.0.1:" + closedPort));

        assertThatThrownBy(() -> client.account(Deadline.after(Duration.ofMillis(300))));

        assertThat(told).isNotEmpty().allMatch(t -> t.equals("account none"));
    }
}
