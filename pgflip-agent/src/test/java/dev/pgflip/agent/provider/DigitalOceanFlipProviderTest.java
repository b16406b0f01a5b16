package dev.pgflip.agent.provider;

import static dev.pgflip.agent.testing.ScriptedApi.action;
import static dev.pgflip.agent.testing.ScriptedApi.error;
import static dev.pgflip.agent.testing.ScriptedApi.ip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pgflip.agent.ExitCode;
import dev.pgflip.agent.digitalocean.ApiToken;
import dev.pgflip.agent.digitalocean.DigitalOceanClient;
import dev.pgflip.agent.digitalocean.IpResource;
import dev.pgflip.agent.digitalocean.RetryPolicy;
import dev.pgflip.agent.testing.ScriptedApi;
import dev.pgflip.agent.time.Deadline;
import dev.pgflip.agent.time.Sleeper;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DigitalOceanFlipProviderTest {
    static final String FIP = "198.18.0.100";
    static final String GET_IP = "GET /v2/floating_ips/" + FIP;
    static final String ACTIONS = "POST /v2/floating_ips/" + FIP + "/actions";
    static final NodeIdentity N2 = new NodeIdentity("n2", OptionalLong.of(1002));

    ScriptedApi api;
    DigitalOceanFlipProvider provider;

    @BeforeEach
    void start() throws Exception {
        api = new ScriptedApi();
        RetryPolicy retry = new RetryPolicy(Duration.ofMillis(5), Duration.ofMillis(20), new Random(1), Sleeper.SYSTEM);
        DigitalOceanClient client = DigitalOceanClient.create(api.url(), ScriptedApi.trust(), IpResource.FLOATING_IPS, Duration.ofSeconds(1), new ApiToken("t0ken"), retry);
        provider = new DigitalOceanFlipProvider(client, FIP, Duration.ofMillis(10), Sleeper.SYSTEM);
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void assignPollsTheActionAndVerifiesTheHolder() {
        api.on(GET_IP, 200, ip("floating_ip", FIP, 1001L, false, "nyc3"))
                .on(GET_IP, 200, ip("floating_ip", FIP, 1002L, false, "nyc3"));
        api.on(ACTIONS, 201, action(5, "in-progress"));
        api.on("GET /v2/actions/5", 200, action(5, "in-progress"))
                .on("GET /v2/actions/5", 200, action(5, "in-progress"))
                .on("GET /v2/actions/5", 200, action(5, "completed"));

        AssignResult r = provider.assign(N2, Deadline.after(Duration.ofSeconds(5)));

        assertThat(r.alreadyHeld()).isFalse();
        assertThat(r.actionId()).hasValue(5);
        assertThat(r.actionCreatedAfter()).isPresent();
        assertThat(r.actionCompletedAfter().get()).isGreaterThanOrEqualTo(r.actionCreatedAfter().get());
        assertThat(api.count("GET /v2/actions/5")).isEqualTo(3);
        assertThat(api.count(GET_IP)).isEqualTo(2);
    }

    @Test
    void alreadyOnOurDropletNeedsNoAction() {
        api.on(GET_IP, 200, ip("floating_ip", FIP, 1002L, false, "nyc3"));

        AssignResult r = provider.assign(N2, Deadline.after(Duration.ofSeconds(5)));

        assertThat(r.alreadyHeld()).isTrue();
        assertThat(api.count(ACTIONS)).isZero();
    }

    @Test
    void actionNotYetVisibleIsConfirmedByReadingTheIp() {
        api.on(GET_IP, 200, ip("floating_ip", FIP, null, false, "nyc3"))
                .on(GET_IP, 200, ip("floating_ip", FIP, 1002L, false, "nyc3"));
        api.on(ACTIONS, 201, action(6, "in-progress"));

        AssignResult r = provider.assign(N2, Deadline.after(Duration.ofSeconds(5)));

        assertThat(r.actionId()).hasValue(6);
        assertThat(api.count("GET /v2/floating_ips/" + FIP + "/actions/6")).isPositive();
    }

    @Test
    void erroredActionIsRetriedFromTheHolderCheck() {
        api.on(GET_IP, 200, ip("floating_ip", FIP, 1001L, false, "nyc3"))
                .on(GET_IP, 200, ip("floating_ip", FIP, 1001L, false, "nyc3"))
                .on(GET_IP, 200, ip("floating_ip", FIP, 1002L, false, "nyc3"));
        api.on(ACTIONS, 201, action(5, "in-progress")).on(ACTIONS, 201, action(6, "in-progress"));
        api.on("GET /v2/actions/5", 200, action(5, "errored"));
        api.on("GET /v2/actions/6", 200, action(6, "completed"));

        AssignResult r = provider.assign(N2, Deadline.after(Duration.ofSeconds(5)));

        assertThat(r.actionId()).hasValue(6);
        assertThat(api.count(ACTIONS)).isEqualTo(2);
    }

    @Test
    void regionMismatchSaysWhichRegions() {
        api.on(GET_IP, 200, ip("floating_ip", FIP, 1001L, false, "nyc3"));
        api.on(ACTIONS, 422, error("unprocessable_entity", "Droplet and floating IP must be in the same region."));
        api.on("GET /v2/droplets/1002", 200, ScriptedApi.droplet(1002, "sfo3"));

        assertThatThrownBy(() -> provider.assign(N2, Deadline.after(Duration.ofSeconds(5))))
                .isInstanceOf(FlipException.class)
                .hasMessageContaining("droplet 1002 is in region sfo3 but the floating IP 198.18.0.100 is in nyc3")
                .satisfies(e -> assertThat(((FlipException) e).exitCode()).isEqualTo(ExitCode.FLIP_FAILED));
        assertThat(api.count(ACTIONS)).isEqualTo(1);
    }

    @Test
    void a422AfterARetriedPostThatWorkedMeansAlreadyHeld() {
        api.on(GET_IP, 200, ip("floating_ip", FIP, 1001L, false, "nyc3"))
                .on(GET_IP, 200, ip("floating_ip", FIP, 1002L, false, "nyc3"));
        api.on(ACTIONS, 422, error("unprocessable_entity", "The floating IP is already assigned to that droplet."));

        assertThat(provider.assign(N2, Deadline.after(Duration.ofSeconds(5))).alreadyHeld()).isTrue();
    }

    @Test
    void givesUpWhenTheActionNeverFinishes() {
        api.on(GET_IP, 200, ip("floating_ip", FIP, 1001L, false, "nyc3"));
        api.on(ACTIONS, 201, action(5, "in-progress"));
        api.on("GET /v2/actions/5", 200, action(5, "in-progress"));

        // Long enough for a TLS handshake on a cold, loaded JVM before the action is even created.
        assertThatThrownBy(() -> provider.assign(N2, Deadline.after(Duration.ofMillis(1500))))
                .isInstanceOf(FlipException.class)
                .hasMessageContaining("in time")
                .hasMessageContaining("action 5 still in-progress");
    }

    @Test
    void aReadOnlyTokenIsAConfigurationErrorAtTheFirstAssignNotATransientOne() {
        api.on(GET_IP, 200, ip("floating_ip", FIP, 1001L, false, "nyc3"));
        api.on(ACTIONS, 403, error("forbidden", "You do not have access for the attempted action."));

        assertThatThrownBy(() -> provider.assign(N2, Deadline.after(Duration.ofSeconds(5))))
                .isInstanceOf(dev.pgflip.agent.digitalocean.TokenScopeException.class)
                .hasMessageContaining("lacks write scope")
                .satisfies(e -> assertThat(((dev.pgflip.agent.PgflipException) e).exitCode())
                        .isEqualTo(ExitCode.TOKEN_REJECTED));
        assertThat(api.count(ACTIONS)).isEqualTo(1);
    }

    @Test
    void unknownIpNamesTheKeysToCheck() {
        assertThatThrownBy(() -> provider.assign(N2, Deadline.after(Duration.ofSeconds(2))))
                .isInstanceOf(FlipException.class)
                .hasMessageContaining("not found (404)")
                .hasMessageContaining("flip.ip");
    }

    @Test
    void statusReportsHolderAndRegion() {
        api.on(GET_IP, 200, ip("floating_ip", FIP, 1001L, true, "nyc3"));
        FlipStatus s = provider.status();
        assertThat(s.dropletId()).hasValue(1001);
        assertThat(s.dropletName()).hasValue("n1");
        assertThat(s.locked()).isTrue();
        assertThat(s.region()).hasValue("nyc3");
    }

    @Test
    void unassignWaitsForTheIpToBeFree() {
        api.on(GET_IP, 200, ip("floating_ip", FIP, 1001L, false, "nyc3"))
                .on(GET_IP, 200, ip("floating_ip", FIP, null, false, "nyc3"));
        api.on(ACTIONS, 201, action(12, "in-progress"));
        api.on("GET /v2/actions/12", 200, action(12, "completed"));

        provider.unassign(Deadline.after(Duration.ofSeconds(5)));

        assertThat(api.requests()).anySatisfy(r -> assertThat(r.body()).contains("unassign"));
    }
}
