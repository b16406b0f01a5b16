package dev.pgflip.agent.digitalocean;

import static dev.pgflip.agent.testing.ScriptedApi.action;
import static dev.pgflip.agent.testing.ScriptedApi.error;
import static dev.pgflip.agent.testing.ScriptedApi.ip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pgflip.agent.testing.ScriptedApi;
import dev.pgflip.agent.time.Deadline;
import dev.pgflip.agent.time.DeadlineExceededException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DigitalOceanClientTest {
    static final String SECRET = "dop_v1_supersecret0123456789";
    static final String FIP = "198.18.0.100";
    static final String ACTIONS = "POST /v2/floating_ips/" + FIP + "/actions";
    static final String GET_IP = "GET /v2/floating_ips/" + FIP;

    ScriptedApi api;
    List<Duration> sleeps = new ArrayList<>();
    DigitalOceanClient client;

    @BeforeEach
    void start() throws Exception {
        api = new ScriptedApi();
        client = client(IpResource.FLOATING_IPS);
    }

    @AfterEach
    void stop() {
        api.close();
    }

    DigitalOceanClient client(IpResource resource) {
        RetryPolicy retry = new RetryPolicy(Duration.ofMillis(10), Duration.ofMillis(40), new Random(1), d -> sleeps.add(d));
        return DigitalOceanClient.create(api.url(), ScriptedApi.trust(), resource, Duration.ofSeconds(2), new ApiToken(SECRET), retry);
    }

    static Deadline seconds(long s) {
        return Deadline.after(Duration.ofSeconds(s));
    }

    @Test
    void assignRetriesTwoRateLimitsThenReturnsTheAction() {
        api.on(ACTIONS, 429, error("too_many_requests", "API Rate limit exceeded."), Map.of("retry-after", "0"))
                .on(ACTIONS, 429, error("too_many_requests", "API Rate limit exceeded."), Map.of("retry-after", "0"))
                .on(ACTIONS, 201, action(7, "in-progress"));

        Action a = client.assign(FIP, 1002, seconds(5));

        assertThat(a.id()).isEqualTo(7);
        assertThat(a.status()).isEqualTo("in-progress");
        assertThat(a.type()).isEqualTo("assign_ip");
        assertThat(api.count(ACTIONS)).isEqualTo(3);
        assertThat(api.requests().get(0).body()).contains("\"type\":\"assign\"").contains("\"droplet_id\":1002");
        assertThat(api.requests().get(0).authorization()).isEqualTo("Bearer " + SECRET);
        assertThat(sleeps).hasSize(2);
        assertThat(client.lastRateLimit()).get().extracting(RateLimit::limit).isEqualTo(5000L);
    }

    @Test
    void retryAfterHeaderSetsTheFloorOfTheNextDelay() {
        api.on(GET_IP, 429, error("too_many_requests", "slow down"), Map.of("retry-after", "1"))
                .on(GET_IP, 200, ip("floating_ip", FIP, 1001L, false, "nyc3"));

        client.getFloatingIp(FIP, seconds(5));

        assertThat(sleeps).containsExactly(Duration.ofSeconds(1));
    }

    @Test
    void serverErrorIsRetried() {
        api.on(GET_IP, 500, error("server_error", "Server was unable to give you a response."))
                .on(GET_IP, 200, ip("floating_ip", FIP, 1001L, false, "nyc3"));

        FloatingIp f = client.getFloatingIp(FIP, seconds(5));

        assertThat(f.dropletId()).hasValue(1001);
        assertThat(f.dropletName()).hasValue("n1");
        assertThat(f.regionSlug()).isEqualTo("nyc3");
        assertThat(f.locked()).isFalse();
    }

    @Test
    void pendingEventIsRetriedButOther422FailsAtOnce() {
        api.on(ACTIONS, 422, error("unprocessable_entity", "The floating IP already has a pending event."))
                .on(ACTIONS, 201, action(8, "in-progress"));
        assertThat(client.assign(FIP, 1002, seconds(5)).id()).isEqualTo(8);

        api.on("POST /v2/floating_ips/198.18.0.101/actions", 422, error("unprocessable_entity", "Droplet is in another region."));
        assertThatThrownBy(() -> client.assign("198.18.0.101", 1002, seconds(5)))
                .isInstanceOf(ApiException.class)
                .satisfies(e -> assertThat(((ApiException) e).error().status()).isEqualTo(422));
        assertThat(api.count("POST /v2/floating_ips/198.18.0.101/actions")).isEqualTo(1);
    }

    @Test
    void unauthorizedFailsAtOnceWithoutShowingTheToken() {
        api.on(GET_IP, 401, error("unauthorized", "Unable to authenticate you."));

        assertThatThrownBy(() -> client.getFloatingIp(FIP, seconds(5)))
                .isInstanceOf(TokenRejectedException.class)
                .hasMessage("DigitalOcean rejected the token (401 unauthorized): replace the token in the agent's configuration"
                        + " with a valid one with write scope")
                .hasMessageNotContaining(SECRET);
        assertThat(api.count(GET_IP)).isEqualTo(1);
    }

    static final String FORBIDDEN = error("forbidden", "You do not have access for the attempted action.");

    @Test
    void aForbiddenAssignFailsAtOnceNamingTheMissingWriteScopeAndTheFix() {
        api.on(ACTIONS, 403, FORBIDDEN);
        DigitalOceanClient fromFile = DigitalOceanClient.create(api.url(), ScriptedApi.trust(), IpResource.FLOATING_IPS,
                Duration.ofSeconds(2), new ApiToken(SECRET, "digitalocean.token_file /etc/pgflip/do-token"),
                new RetryPolicy(Duration.ofMillis(10), Duration.ofMillis(40), new Random(1), d -> sleeps.add(d)));

        assertThatThrownBy(() -> fromFile.assign(FIP, 1002, seconds(5)))
                .isInstanceOf(TokenScopeException.class)
                .hasMessage("DigitalOcean refused POST /v2/floating_ips/" + FIP + "/actions with 403 forbidden (\"You do"
                        + " not have access for the attempted action.\"): the token lacks write scope, so it cannot move"
                        + " the IP; create a token with read and write scope (or the custom scopes reserved_ip:read,"
                        + " reserved_ip:update, actions:read and droplet:read) and put it in digitalocean.token_file"
                        + " /etc/pgflip/do-token")
                .hasMessageNotContaining(SECRET)
                .satisfies(e -> {
                    TokenScopeException scope = (TokenScopeException) e;
                    assertThat(scope.write()).isTrue();
                    assertThat(scope.error().status()).isEqualTo(403);
                    assertThat(scope.exitCode()).isEqualTo(dev.pgflip.agent.ExitCode.TOKEN_REJECTED);
                    assertThat(scope.fix()).startsWith("create a token with read and write scope");
                });
        assertThat(api.count(ACTIONS)).as("a 403 is never retried").isEqualTo(1);
        assertThat(sleeps).isEmpty();
    }

    @Test
    void aForbiddenReadNamesTheReadScopeItNeeds() {
        api.on("GET /v2/droplets/1002", 403, FORBIDDEN);

        assertThatThrownBy(() -> client.getDroplet(1002, seconds(5)))
                .isInstanceOf(TokenScopeException.class)
                .hasMessageContaining("refused GET /v2/droplets/1002 with 403 forbidden")
                .hasMessageContaining("the token lacks the read scope this request needs")
                .hasMessageContaining("droplet:read")
                .satisfies(e -> assertThat(((TokenScopeException) e).write()).isFalse());
        assertThat(api.count("GET /v2/droplets/1002")).isEqualTo(1);
    }

    @Test
    void theWriteProbePostsAnActionTypeThatDoesNotExistAndReturnsTheRefusal() {
        api.on(ACTIONS, 422, error("unprocessable_entity", "type is not a valid action type"));

        assertThat(client.probeWriteScope(FIP, seconds(5))).get()
                .satisfies(e -> assertThat(e.status()).isEqualTo(422))
                .satisfies(e -> assertThat(e.id()).isEqualTo("unprocessable_entity"));
        assertThat(api.requests()).singleElement().satisfies(r -> assertThat(r.body())
                .isEqualTo("{\"type\":\"" + DigitalOceanClient.WRITE_PROBE_TYPE + "\"}"));
    }

    @Test
    void theWriteProbeTakesAPendingEventAsItsAnswerButRetriesRateLimitsAndServerErrors() {
        api.on(ACTIONS, 429, error("too_many_requests", "API Rate limit exceeded."), Map.of("retry-after", "0"))
                .on(ACTIONS, 503, error("service_unavailable", "The service is temporarily unavailable."))
                .on(ACTIONS, 422, error("unprocessable_entity", "The floating IP already has a pending event."));

        assertThat(client.probeWriteScope(FIP, seconds(5))).get()
                .satisfies(e -> assertThat(e.isPendingEvent()).isTrue());
        assertThat(api.count(ACTIONS)).isEqualTo(3);
    }

    @Test
    void theWriteProbeOfAReadOnlyTokenThrowsTheScopeError() {
        api.on(ACTIONS, 403, FORBIDDEN);

        assertThatThrownBy(() -> client.probeWriteScope(FIP, seconds(5))).isInstanceOf(TokenScopeException.class);
        assertThat(api.count(ACTIONS)).isEqualTo(1);
    }

    @Test
    void notFoundIsNotRetried() {
        assertThatThrownBy(() -> client.getFloatingIp(FIP, seconds(5)))
                .isInstanceOf(ApiException.class).hasMessageContaining("404 not_found");
        assertThat(api.count(GET_IP)).isEqualTo(1);
    }

    @Test
    void freshActionThat404sFallsBackToTheIpsActionPath() {
        api.on("GET /v2/actions/9", 404, error("not_found", "The resource you were accessing could not be found."))
                .on("GET /v2/floating_ips/" + FIP + "/actions/9", 200, action(9, "completed"));

        assertThat(client.getAction(FIP, 9, seconds(5))).get().extracting(Action::status).isEqualTo("completed");
    }

    @Test
    void actionUnknownEverywhereIsEmpty() {
        assertThat(client.getAction(FIP, 10, seconds(5))).isEmpty();
    }

    @Test
    void givesUpAtTheDeadlineWithTheLastError() {
        api.on(GET_IP, 503, error("service_unavailable", "try later"));
        RetryPolicy realSleep = new RetryPolicy(Duration.ofMillis(50), Duration.ofMillis(100), new Random(1), dev.pgflip.agent.time.Sleeper.SYSTEM);
        DigitalOceanClient slow = DigitalOceanClient.create(api.url(), ScriptedApi.trust(), IpResource.FLOATING_IPS, Duration.ofSeconds(1), new ApiToken(SECRET), realSleep);

        assertThatThrownBy(() -> slow.getFloatingIp(FIP, Deadline.after(Duration.ofMillis(600))))
                .isInstanceOf(DeadlineExceededException.class)
                .hasMessageContaining("600ms deadline")
                // the last error itself, or the last answer when the last try (given what was left) timed out
                .hasMessageContaining("503 service_unavailable")
                .hasMessageNotContaining(SECRET);
    }

    @Test
    void listFollowsNextLinksOntoTheConfiguredHost() {
        api.on("GET /v2/floating_ips", 200, "{\"floating_ips\":[" + inner(ip("floating_ip", "198.18.0.100", null, false, "nyc3"))
                + "],\"links\":{\"pages\":{\"next\":\"https://api.digitalocean.com/v2/floating_ips?page=2&per_page=1\"}},\"meta\":{\"total\":2}}")
                .on("GET /v2/floating_ips", 200, "{\"floating_ips\":[" + inner(ip("floating_ip", "198.18.0.101", 1002L, false, "nyc3"))
                + "],\"links\":{\"pages\":{}},\"meta\":{\"total\":2}}");

        List<FloatingIp> all = client.listFloatingIps(seconds(5));

        assertThat(all).extracting(FloatingIp::ip).containsExactly("198.18.0.100", "198.18.0.101");
        assertThat(all.get(0).dropletId()).isEmpty();
    }

    @Test
    void reservedIpNamingUsesItsOwnPathsAndKeys() {
        api.on("GET /v2/reserved_ips/" + FIP, 200, ip("reserved_ip", FIP, 1003L, true, "ams3"))
                .on("POST /v2/reserved_ips/" + FIP + "/actions", 201, action(11, "in-progress"));
        DigitalOceanClient reserved = client(IpResource.RESERVED_IPS);

        FloatingIp f = reserved.getFloatingIp(FIP, seconds(5));
        assertThat(f.dropletId()).hasValue(1003);
        assertThat(f.locked()).isTrue();
        assertThat(reserved.unassign(FIP, seconds(5)).id()).isEqualTo(11);
        assertThat(api.requests().get(1).body()).isEqualTo("{\"type\":\"unassign\"}");
    }

    @Test
    void getDropletReadsRegion() {
        api.on("GET /v2/droplets/1002", 200, ScriptedApi.droplet(1002, "sfo3"));
        Droplet d = client.getDroplet(1002, seconds(5));
        assertThat(d.regionSlug()).isEqualTo("sfo3");
        assertThat(d.name()).isEqualTo("n2");
        assertThat(d.ipv4Addresses()).containsExactly("10.0.0.2");
        assertThat(d.isHost("10.0.0.2")).isTrue();
        assertThat(d.isHost("n2")).isTrue();
        assertThat(d.isHost("10.0.0.3")).isFalse();
    }

    @Test
    void accountReadsStatusWithTheBearerToken() {
        api.on("GET /v2/account", 200, "{\"account\":{\"droplet_limit\":25,\"floating_ip_limit\":5,\"email\":\"ops@example.com\","
                + "\"uuid\":\"u-1\",\"email_verified\":true,\"status\":\"locked\",\"status_message\":\"billing\"}}");

        Account a = client.account(seconds(5));

        assertThat(a.status()).isEqualTo("locked");
        assertThat(a.isActive()).isFalse();
        assertThat(a.statusMessage()).isEqualTo("billing");
        assertThat(api.requests().get(0).authorization()).isEqualTo("Bearer " + SECRET);
    }

    @Test
    void accountWithARejectedTokenIsTokenRejectedAtOnce() {
        api.on("GET /v2/account", 401, error("unauthorized", "Unable to authenticate you."));

        assertThatThrownBy(() -> client.account(seconds(5))).isInstanceOf(TokenRejectedException.class);
        assertThat(api.count("GET /v2/account")).isEqualTo(1);
    }

    @Test
    void listDropletsFollowsPagesAndReadsAddresses() {
        api.on("GET /v2/droplets", 200, "{\"droplets\":[" + inner(ScriptedApi.droplet(101, "lab1")) + "],"
                + "\"links\":{\"pages\":{\"next\":\"https://api.example/v2/droplets?page=2&per_page=200\"}},\"meta\":{\"total\":2}}")
                .on("GET /v2/droplets", 200, "{\"droplets\":[" + inner(ScriptedApi.droplet(102, "lab1")) + "],"
                        + "\"links\":{\"pages\":{}},\"meta\":{\"total\":2}}");

        List<Droplet> droplets = client.listDroplets(seconds(5));

        assertThat(droplets).extracting(Droplet::id).containsExactly(101L, 102L);
        assertThat(droplets.get(1).ipv4Addresses()).containsExactly("10.0.0.2");
    }

    static String inner(String wrapped) {
        int start = wrapped.indexOf(":{") + 1;
        return wrapped.substring(start, wrapped.length() - 1);
    }
}
