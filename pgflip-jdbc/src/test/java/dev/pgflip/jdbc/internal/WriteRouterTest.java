package dev.pgflip.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgflip.jdbc.HostSpec;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Where writes go, decided on views made by real trackers fed scripted probe answers: the lab's layout, a floating IP
 * in front of n1 (primary) and n2 (standby), both also in the read list.
 */
class WriteRouterTest {
    private static final HostSpec FLIP = HostSpec.parse("198.18.0.100:5432");
    private static final HostSpec N1 = HostSpec.parse("198.18.0.11:5432");
    private static final HostSpec N2 = HostSpec.parse("198.18.0.12:5432");

    private final AtomicLong clock = new AtomicLong();
    private final TimelineHighWater timelines = new TimelineHighWater();
    private final HostTracker flip = tracker(FLIP, Role.WRITER);
    private final HostTracker n1 = tracker(N1, Role.READER);
    private final HostTracker n2 = tracker(N2, Role.READER);
    private final WriteRouter router = new WriteRouter(true);

    private HostTracker tracker(HostSpec host, Role role) {
        return new HostTracker(host, role, Duration.ofSeconds(10), clock::get, timelines);
    }

    private ClusterView view() {
        return new ClusterView(ClusterView.HostView.of(flip, 0),
                List.of(ClusterView.HostView.of(n1, 0), ClusterView.HostView.of(n2, 0)));
    }

    private static ProbeResult primary(long timeline) {
        return new ProbeResult(false, false, Duration.ZERO, "0/5000000", timeline);
    }

    private static ProbeResult standby(long timeline) {
        return new ProbeResult(true, true, Duration.ZERO, "0/5000000", timeline);
    }

    /** Before the kill: n1 primary on timeline 2 behind the floating IP, n2 its standby. */
    private void healthy() {
        flip.answered(primary(2));
        n1.answered(primary(2));
        n2.answered(standby(2));
    }

    /** The floating IP's monitor has seen it go silent with n1 (the second failed probe). */
    private void endpointDown() {
        flip.failed(ProbeFailure.noAnswer("timeout"));
        flip.failed(ProbeFailure.noAnswer("timeout"));
        assertThat(flip.health().state()).isEqualTo(HostState.DOWN);
    }

    @Test
    void writesGoThroughTheEndpointWhileItLeadsToAWritablePrimary() {
        healthy();
        assertThat(router.decide(view())).isEqualTo(WriteRoute.ENDPOINT);
    }

    @Test
    void theOldPrimaryOnTheSameTimelineGetsWaitNeverDirect() {
        healthy();
        endpointDown();

        // n1's own monitor has not noticed yet: it still looks like a writable primary, on the endpoint's timeline.
        assertThat(n1.writableNow()).isTrue();
        assertThat(router.decide(view())).isEqualTo(WriteRoute.WAIT);
        n1.answered(primary(2));
        assertThat(router.decide(view())).as("still answering on timeline 2: an old primary, not a promoted one")
                .isEqualTo(WriteRoute.WAIT);
    }

    @Test
    void aReaderPromotedOnANewerTimelineGetsTheWritesDirectlyUntilTheEndpointCatchesUp() {
        healthy();
        endpointDown();

        n2.answered(primary(3));

        assertThat(router.decide(view())).isEqualTo(new WriteRoute.Direct(N2));
        flip.answered(primary(3));
        assertThat(router.decide(view())).as("the floating IP moved to n2").isEqualTo(WriteRoute.ENDPOINT);
    }

    @Test
    void theOldPrimaryIsNeverChosenOnceANewerTimelineIsSeenEvenIfItComesFirstInTheReadList() {
        healthy();
        endpointDown();
        n2.answered(primary(3));
        n1.answered(primary(2));

        assertThat(n1.health().state()).isEqualTo(HostState.STALE_PRIMARY);
        assertThat(router.decide(view())).isEqualTo(new WriteRoute.Direct(N2));
    }

    @Test
    void anEndpointThatLeadsBackToTheOldPrimaryTakesNoWritesAndSendsNoneDirect() {
        healthy();
        n2.answered(primary(3));
        // The mark rose: the endpoint's last answer (timeline 2) makes it a stale primary, usable no more.
        assertThat(flip.health().state()).isEqualTo(HostState.STALE_PRIMARY);
        assertThat(router.decide(view())).isEqualTo(new WriteRoute.Direct(N2));
        flip.answered(primary(2));
        assertThat(router.decide(view())).isEqualTo(new WriteRoute.Direct(N2));
    }

    @Test
    void whileTheEndpointStillCountsAsUsableNothingGoesDirect() {
        ClusterView.HostView endpoint = new ClusterView.HostView(FLIP, HostState.PRIMARY, true, false, 2, false, null, 0);
        ClusterView.HostView promoted = new ClusterView.HostView(N2, HostState.PRIMARY, true, true, 3, false, null, 0);
        // PRIMARY by its last classification but below the mark: its re-classification is under way.
        assertThat(router.decide(new ClusterView(endpoint, List.of(promoted)))).isEqualTo(WriteRoute.WAIT);
    }

    @Test
    void withoutDirectWritesAPromotedReaderGetsNothing() {
        healthy();
        endpointDown();
        n2.answered(primary(3));
        assertThat(new WriteRouter(false).decide(view())).isEqualTo(WriteRoute.WAIT);
    }

    @Test
    void theReCheckAfterABorrowAsksTheSameDecision() {
        healthy();
        WriteRoute endpoint = router.decide(view());
        endpointDown();
        assertThat(router.stillRoutes(view(), endpoint)).isFalse();
        n2.answered(primary(3));
        WriteRoute direct = router.decide(view());
        assertThat(router.stillRoutes(view(), direct)).isTrue();
        flip.answered(primary(3));
        assertThat(router.stillRoutes(view(), direct)).as("the endpoint caught up: writes go there").isFalse();
    }

    @Test
    void theStandbysAreTheCandidatesToWarmWhileTheEndpointIsDown() {
        healthy();
        endpointDown();
        assertThat(router.promotionCandidates(view())).containsExactly(N2);
        n2.answered(new ProbeResult(true, true, Duration.ofSeconds(30), "0/5000000", 2));
        assertThat(router.promotionCandidates(view())).as("lagging too").containsExactly(N2);
        n2.failed(ProbeFailure.refused("refused"));
        assertThat(router.promotionCandidates(view())).isEmpty();
    }

    @Test
    void routesAreValuesAsBeforeTheirMethodsWereWrittenOut() {
        WriteRoute.Direct toN2 = new WriteRoute.Direct(N2);
        assertThat(toN2).isEqualTo(new WriteRoute.Direct(HostSpec.parse("198.18.0.12:5432")))
                .hasSameHashCodeAs(new WriteRoute.Direct(N2))
                .isNotEqualTo(new WriteRoute.Direct(N1))
                .isNotEqualTo(WriteRoute.ENDPOINT).isNotEqualTo(WriteRoute.WAIT).isNotEqualTo(null);
        assertThat(toN2).hasToString("Direct[host=198.18.0.12:5432]");
        assertThat(WriteRoute.ENDPOINT).isEqualTo(new WriteRoute.Endpoint()).isNotEqualTo(WriteRoute.WAIT)
                .hasSameHashCodeAs(new WriteRoute.Endpoint()).hasToString("Endpoint[]");
        assertThat(WriteRoute.WAIT).isEqualTo(new WriteRoute.Wait()).isNotEqualTo(toN2)
                .hasSameHashCodeAs(new WriteRoute.Wait()).hasToString("Wait[]");
    }
}
