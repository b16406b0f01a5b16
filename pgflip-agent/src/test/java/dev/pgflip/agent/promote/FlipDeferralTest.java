package dev.pgflip.agent.promote;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgflip.agent.ExitCode;
import dev.pgflip.agent.PgflipException;
import dev.pgflip.agent.digitalocean.ApiError;
import dev.pgflip.agent.digitalocean.TokenRejectedException;
import dev.pgflip.agent.digitalocean.TokenScopeException;
import java.util.Optional;
import dev.pgflip.agent.promote.FlipDeferral.Kind;
import dev.pgflip.agent.provider.FlipException;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** What a failure to move the IP, once the node is primary, asks of whom; and the one line that says so. */
class FlipDeferralTest {
    static final FlipByHand BY_HAND = new FlipByHand("198.18.0.100", "/etc/pgflip/agent.yaml");

    static Stream<Arguments> failures() {
        return Stream.of(
                Arguments.of("the API timed out", new FlipException("could not move floating IP in time"), Kind.API_TROUBLE),
                Arguments.of("the API refused for good", FlipException.refused("droplet 1002 does not exist", null),
                        Kind.NEEDS_CONFIGURATION_FIX),
                Arguments.of("a rejected token", new TokenRejectedException("digitalocean.token_file /x"),
                        Kind.NEEDS_CONFIGURATION_FIX),
                Arguments.of("a token without write scope", new TokenScopeException("POST", "/v2/reserved_ips/x/actions",
                        "digitalocean.token_file /x", new ApiError(403, "forbidden", "no", Optional.empty())),
                        Kind.NEEDS_CONFIGURATION_FIX),
                Arguments.of("a config error (untrusted certificate, token file, droplet id)",
                        new PgflipException(ExitCode.USAGE, "set digitalocean.ca_file"), Kind.NEEDS_CONFIGURATION_FIX),
                Arguments.of("a bug", new IllegalStateException("oops"), Kind.UNEXPECTED));
    }

    @ParameterizedTest(name = "{0} is {2}")
    @MethodSource("failures")
    void eachFailureIsClassifiedByWhatFinishingTheMoveTakes(String what, RuntimeException failure, Kind expected) {
        FlipDeferral d = FlipDeferral.of(failure);
        assertThat(d.kind()).isEqualTo(expected);
        assertThat(d.needsOperator()).isEqualTo(expected != Kind.API_TROUBLE);
        assertThat(d.reason()).contains(failure.getMessage());
    }

    @Test
    void theLineForASlowApiNamesTheNodeItsRoleTheIpWhyTheWatchAndTheCommand() {
        String line = new FlipDeferral(Kind.API_TROUBLE, "could not move floating IP 198.18.0.100 in time: 503")
                .describe("n2", BY_HAND);

        assertThat(line).isEqualTo("node n2 is primary; floating IP 198.18.0.100 not moved yet: could not move floating"
                + " IP 198.18.0.100 in time: 503; pgflip watch on n2 moves it once the API answers (by hand: pgflip"
                + " promote --skip-promote --config /etc/pgflip/agent.yaml); the hook exits 0 because the promotion"
                + " itself succeeded");
        assertThat(line).doesNotContain("\n");
    }

    @Test
    void theLineForAConfigurationErrorSaysTheWatchCannotFinishUntilItIsFixed() {
        String line = new FlipDeferral(Kind.NEEDS_CONFIGURATION_FIX, "DigitalOcean rejected the token (401)")
                .describe("n2", BY_HAND);

        assertThat(line).startsWith("node n2 is primary but floating IP 198.18.0.100 cannot be moved until the"
                        + " configuration is fixed: DigitalOcean rejected the token (401)")
                .contains("pgflip watch cannot move it either until then")
                .contains("pgflip promote --skip-promote --config /etc/pgflip/agent.yaml")
                .endsWith("the hook exits 0 because the promotion itself succeeded");
    }

    @Test
    void theByHandAssignCommandSaysWhenTheDropletIsUnknown() {
        assertThat(BY_HAND.assign(java.util.OptionalLong.empty()))
                .isEqualTo("pgflip flip assign <droplet-id> --config /etc/pgflip/agent.yaml");
    }
}
