package dev.pgflip.agent.doctor;

import static dev.pgflip.agent.testing.ScriptedApi.error;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pgflip.agent.digitalocean.ApiToken;
import dev.pgflip.agent.digitalocean.DigitalOceanClient;
import dev.pgflip.agent.digitalocean.IpResource;
import dev.pgflip.agent.digitalocean.RetryPolicy;
import dev.pgflip.agent.testing.ScriptedApi;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** token_write_scope against a scripted API: what each answer to the probe means, and that the probe moves nothing. */
class TokenWriteScopeCheckTest {
    static final String FIP = "198.18.0.100";
    static final String PROBE = "POST /v2/reserved_ips/" + FIP + "/actions";
    static final String SECRET = "write-scope-test-token";
    static final Path CONFIG = Path.of("/etc/pgflip/pgflip.yaml");

    ScriptedApi api;
    DigitalOceanClient client;

    @BeforeEach
    void start() throws Exception {
        api = new ScriptedApi();
        client = DigitalOceanClient.create(api.url(), ScriptedApi.trust(), IpResource.RESERVED_IPS, Duration.ofSeconds(1),
                new ApiToken(SECRET, "digitalocean.token_file /etc/pgflip/do-token"),
                new RetryPolicy(Duration.ofMillis(5), Duration.ofMillis(10), new Random(1), d -> { }));
    }

    @AfterEach
    void stop() {
        api.close();
    }

    CheckResult check() {
        return new TokenWriteScopeCheck(client, FIP, CONFIG).run();
    }

    @Test
    void a422ToTheProbeProvesWriteScope() {
        api.on(PROBE, 422, error("unprocessable_entity", "type is not a valid action type"));

        CheckResult result = check();

        assertThat(result.check()).isEqualTo("token_write_scope");
        assertThat(result.status()).isEqualTo(CheckStatus.OK);
        assertThat(result.message()).isEqualTo("the token may move reserved IP " + FIP + ": a probe action the API"
                + " cannot carry out passed the scope check and was refused for itself (422 unprocessable_entity);"
                + " nothing changed");
    }

    @Test
    void theProbeIsOnePostThatCanMoveNothing() {
        api.on(PROBE, 422, error("unprocessable_entity", "type is not a valid action type"));

        check();

        assertThat(api.requests()).singleElement().satisfies(r -> {
            assertThat(r.method() + " " + r.path()).isEqualTo(PROBE);
            assertThat(r.body()).isEqualTo("{\"type\":\"pgflip_write_scope_probe\"}");
            assertThat(r.authorization()).isEqualTo("Bearer " + SECRET);
        });
    }

    @Test
    void a400ToTheProbeAlsoProvesWriteScope() {
        api.on(PROBE, 400, error("bad_request", "The request could not be understood."));

        assertThat(check().status()).isEqualTo(CheckStatus.OK);
    }

    @Test
    void aPendingEventMeansTheScopeCheckPassedAndIsNotWaitedFor() {
        api.on(PROBE, 422, error("unprocessable_entity", "The reserved IP already has a pending event."));

        assertThat(check().status()).isEqualTo(CheckStatus.OK);
        assertThat(api.count(PROBE)).isEqualTo(1);
    }

    @Test
    void a403FailsWithTheScopeToAddAndWhereTheTokenLives() {
        api.on(PROBE, 403, error("forbidden", "You do not have access for the attempted action."));

        CheckResult result = check();

        assertThat(result.failed()).isTrue();
        assertThat(result.message()).isEqualTo("DigitalOcean refused " + PROBE + " with 403 forbidden (\"You do not"
                + " have access for the attempted action.\"): the token lacks write scope, so it cannot move the IP;"
                + " a failover would promote a node but leave reserved IP " + FIP + " where it is");
        assertThat(result.fix()).hasValue("create a token with read and write scope (or the custom scopes"
                + " reserved_ip:read, reserved_ip:update, actions:read and droplet:read) and put it in"
                + " digitalocean.token_file /etc/pgflip/do-token, then restart pgflip watch (it reads the token when"
                + " it starts)");
        assertThat(result.toString()).doesNotContain(SECRET);
        assertThat(api.count(PROBE)).isEqualTo(1);
    }

    @Test
    void aRejectedTokenFails() {
        api.on(PROBE, 401, error("unauthorized", "Unable to authenticate you."));

        CheckResult result = check();

        assertThat(result.failed()).isTrue();
        assertThat(result.message()).contains("401");
    }

    @Test
    void anyOtherRefusalProvesNothingAndFails() {
        CheckResult result = check();

        assertThat(result.failed()).isTrue();
        assertThat(result.message()).contains("write scope not proven").contains("404 not_found");
        assertThat(result.fix()).hasValueSatisfying(f -> assertThat(f).contains("flip.ip").contains(CONFIG.toString()));
    }
}
