package dev.pgflip.agent.promote;

import static dev.pgflip.agent.testing.ScriptedApi.action;
import static dev.pgflip.agent.testing.ScriptedApi.error;
import static dev.pgflip.agent.testing.ScriptedApi.ip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pgflip.agent.ExitCode;
import dev.pgflip.agent.PgflipException;
import dev.pgflip.agent.digitalocean.ApiToken;
import dev.pgflip.agent.digitalocean.DigitalOceanClient;
import dev.pgflip.agent.digitalocean.IpResource;
import dev.pgflip.agent.digitalocean.RetryPolicy;
import dev.pgflip.agent.node.NodeRole;
import dev.pgflip.agent.process.ProcessRunner;
import dev.pgflip.agent.provider.DigitalOceanFlipProvider;
import dev.pgflip.agent.provider.FlipException;
import dev.pgflip.agent.provider.NodeIdentity;
import dev.pgflip.agent.testing.ScriptedApi;
import dev.pgflip.agent.time.Deadline;
import dev.pgflip.agent.time.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 13, hole 9: once the node answers as primary, {@code pgflip promote} succeeds (the hook exits 0) whatever
 * happens to the floating IP; the move is deferred, logged and recorded. The real DigitalOcean provider against a
 * scripted API over HTTPS, its retries and polls sleeping on a manual clock, so a deadline passes without waiting.
 */
class FlipDeferredOncePrimaryTest {
    static final String FIP = "198.18.0.100";
    static final String GET_IP = "GET /v2/floating_ips/" + FIP;
    static final String ACTIONS = "POST /v2/floating_ips/" + FIP + "/actions";
    static final NodeIdentity N2 = new NodeIdentity("n2", OptionalLong.of(1002));
    static final FlipByHand BY_HAND = new FlipByHand(FIP, "/etc/pgflip/agent.yaml");

    ScriptedApi api;
    final ManualClock clock = new ManualClock();
    final RecordingTimeline timeline = new RecordingTimeline();
    Function<Deadline, FlipTarget> target;

    @BeforeEach
    void start() throws Exception {
        api = new ScriptedApi();
        RetryPolicy retry = new RetryPolicy(Duration.ofMillis(100), Duration.ofSeconds(2), new Random(1), clock);
        DigitalOceanClient client = DigitalOceanClient.create(api.url(), ScriptedApi.trust(), IpResource.FLOATING_IPS,
                Duration.ofSeconds(5), new ApiToken("t0ken"), retry);
        DigitalOceanFlipProvider provider = new DigitalOceanFlipProvider(client, FIP, Duration.ofMillis(250), clock);
        target = deadline -> new FlipTarget(N2, provider);
    }

    @AfterEach
    void stop() {
        api.close();
    }

    PromoteOrchestrator orchestrator() {
        return new PromoteOrchestrator("n2", target, new ProcessRunner(), clock, timeline, BY_HAND);
    }

    @Test
    void anAssignStillInProgressAtTheDeadlineIsDeferredAndTheHookSucceeds() {
        api.on(GET_IP, 200, ip("floating_ip", FIP, 1001L, false, "nyc3"));
        api.on(ACTIONS, 201, action(41, "in-progress"));
        api.on("GET /v2/actions/41", 200, action(41, "in-progress"));

        PromoteReport r = orchestrator().confirmAndFlip(() -> NodeRole.PRIMARY, clock.deadline(Duration.ofSeconds(20)));

        FlipDeferral deferral = r.deferral().orElseThrow();
        assertThat(deferral.kind()).isEqualTo(FlipDeferral.Kind.API_TROUBLE);
        assertThat(deferral.reason()).contains("in time").contains("action 41 still in-progress");
        assertThat(r.nodeWritableAfter()).hasValue(Duration.ZERO);
        assertThat(api.count(ACTIONS)).as("one assign, polled until the deadline").isEqualTo(1);
        assertThat(timeline.events()).containsExactly("pgflip_node_writable", "pgflip_flip_deferred");
        assertThat(timeline.facts("pgflip_flip_deferred")).hasValueSatisfying(f -> assertThat(f)
                .containsEntry("success", false)
                .containsEntry("ip", FIP)
                .containsEntry("droplet_id", 1002L)
                .containsEntry("reason", "api_trouble")
                .hasEntrySatisfying("error", e -> assertThat((String) e).contains("action 41 still in-progress")));
    }

    @Test
    void theWrappersMomentOfLeavingRecoveryIsTheWritableMilestoneNotThisJvmsLaterOne() {
        api.on(GET_IP, 500, error("server_error", "Internal server error"));
        Instant sawIt = Instant.parse("2026-12-06T19:58:24.468Z");

        orchestrator().confirmAndFlip(() -> NodeRole.PRIMARY, clock.deadline(Duration.ofSeconds(1)), Optional.of(sawIt));
        assertThat(timeline.at("pgflip_node_writable")).hasValue(sawIt);
        assertThat(timeline.facts("pgflip_node_writable")).hasValueSatisfying(f ->
                assertThat(f).containsEntry("seen_by", "promote wrapper"));

        RecordingTimeline own = new RecordingTimeline();
        Instant before = Instant.now();
        new PromoteOrchestrator("n2", target, new ProcessRunner(), clock, own, BY_HAND)
                .confirmAndFlip(() -> NodeRole.PRIMARY, clock.deadline(Duration.ofSeconds(1)));
        assertThat(own.at("pgflip_node_writable")).hasValueSatisfying(at -> assertThat(at).isAfterOrEqualTo(before));
        assertThat(own.facts("pgflip_node_writable")).hasValueSatisfying(f -> assertThat(f).doesNotContainKey("seen_by"));
    }

    @Test
    void anApiAnswering500UntilTheDeadlineIsDeferredAndTheHookSucceeds() {
        api.on(GET_IP, 500, error("server_error", "Internal server error"));

        PromoteReport r = orchestrator().confirmAndFlip(() -> NodeRole.PRIMARY, clock.deadline(Duration.ofSeconds(20)));

        assertThat(r.deferral()).hasValueSatisfying(d -> {
            assertThat(d.kind()).isEqualTo(FlipDeferral.Kind.API_TROUBLE);
            assertThat(d.reason()).contains("500").contains("20000ms deadline");
        });
        assertThat(api.count(GET_IP)).as("retried with backoff, not once").isGreaterThan(3);
        assertThat(api.count(ACTIONS)).isZero();
        assertThat(timeline.facts("pgflip_flip_deferred")).isPresent();
    }

    @Test
    void thePromotePathWithoutTheWrapperDefersTheSameWay() {
        api.on(GET_IP, 503, error("service_unavailable", "Service unavailable"));

        PromoteReport r = orchestrator().promoteAndFlip(List.of("/bin/true"), () -> NodeRole.PRIMARY,
                clock.deadline(Duration.ofSeconds(20)));

        assertThat(r.deferral()).hasValueSatisfying(d -> assertThat(d.kind()).isEqualTo(FlipDeferral.Kind.API_TROUBLE));
        assertThat(r.promoteExitCode()).as("the promote command is still seen through").hasValue(0);
        assertThat(timeline.events()).containsExactly("pgflip_node_writable", "pgflip_flip_deferred");
    }

    @Test
    void aRejectedTokenAfterThePromotionIsDeferredAsNeedingAConfigurationFix() {
        api.on(GET_IP, 401, error("unauthorized", "Unable to authenticate you."));

        PromoteReport r = orchestrator().confirmAndFlip(() -> NodeRole.PRIMARY, clock.deadline(Duration.ofSeconds(20)));

        assertThat(r.deferral()).hasValueSatisfying(d -> {
            assertThat(d.kind()).isEqualTo(FlipDeferral.Kind.NEEDS_CONFIGURATION_FIX);
            assertThat(d.reason()).contains("DigitalOcean rejected the token");
        });
        assertThat(api.count(GET_IP)).as("a 401 is not retried").isEqualTo(1);
        assertThat(timeline.facts("pgflip_flip_deferred")).hasValueSatisfying(f ->
                assertThat(f).containsEntry("reason", "needs_configuration_fix"));
    }

    @Test
    void anUnknownDropletAfterThePromotionIsDeferredAsNeedingAConfigurationFix() {
        api.on(GET_IP, 200, ip("floating_ip", FIP, 1001L, false, "nyc3"));
        api.on(ACTIONS, 404, error("not_found", "The resource you were accessing could not be found."));

        PromoteReport r = orchestrator().confirmAndFlip(() -> NodeRole.PRIMARY, clock.deadline(Duration.ofSeconds(20)));

        assertThat(r.deferral()).hasValueSatisfying(d -> {
            assertThat(d.kind()).isEqualTo(FlipDeferral.Kind.NEEDS_CONFIGURATION_FIX);
            assertThat(d.reason()).contains("droplet 1002 does not exist");
        });
    }

    @Test
    void aDropletIdNobodyCanWorkOutIsDeferredOnceThePromotionRan() {
        target = deadline -> {
            throw new PgflipException(ExitCode.USAGE, "cannot reach the metadata service: refused; check"
                    + " digitalocean.metadata_url or set node.droplet_id");
        };

        PromoteReport r = orchestrator().promoteAndFlip(List.of("/bin/true"), () -> NodeRole.PRIMARY,
                clock.deadline(Duration.ofSeconds(20)));

        assertThat(r.deferral()).hasValueSatisfying(d -> {
            assertThat(d.kind()).isEqualTo(FlipDeferral.Kind.NEEDS_CONFIGURATION_FIX);
            assertThat(d.reason()).contains("node.droplet_id");
        });
        assertThat(timeline.facts("pgflip_flip_deferred")).hasValueSatisfying(f ->
                assertThat(f).doesNotContainKey("droplet_id"));
    }

    @Test
    void aNodeThatNeverAnswersAsPrimaryStillFailsWithExit1AndTheApiIsNotAsked() {
        api.on(GET_IP, 500, error("server_error", "Internal server error"));

        assertThatThrownBy(() -> orchestrator().confirmAndFlip(() -> NodeRole.STANDBY,
                clock.deadline(Duration.ofSeconds(20))))
                .isInstanceOf(PromoteFailedException.class)
                .hasMessageContaining("did not become primary within 20000ms")
                .satisfies(e -> assertThat(((PgflipException) e).exitCode()).isEqualTo(ExitCode.PROMOTE_FAILED));
        assertThat(api.requests()).isEmpty();
        assertThat(timeline.events()).isEmpty();
    }

    @Test
    void aNodeThatNeverAnswersAsPrimaryAfterTheTargetFailedToResolveIsStillExit1() {
        target = deadline -> {
            throw new FlipException("cannot reach the API");
        };

        assertThatThrownBy(() -> orchestrator().promoteAndFlip(List.of("/bin/sh", "-c", "sleep 2"),
                () -> NodeRole.UNREACHABLE, clock.deadline(Duration.ofSeconds(1))))
                .isInstanceOf(PromoteFailedException.class)
                .satisfies(e -> assertThat(((PgflipException) e).exitCode()).isEqualTo(ExitCode.PROMOTE_FAILED));
    }

    @Test
    void skipPromoteHasNoPromotionToStandOnSoAFailedMoveStaysExit3() {
        api.on(GET_IP, 500, error("server_error", "Internal server error"));

        assertThatThrownBy(() -> orchestrator().flipOnly(clock.deadline(Duration.ofSeconds(20))))
                .isInstanceOf(FlipException.class)
                .hasMessageContaining("pgflip flip assign 1002")
                .satisfies(e -> assertThat(((PgflipException) e).exitCode()).isEqualTo(ExitCode.FLIP_FAILED));
    }
}
