package dev.pgflip.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgflip.jdbc.internal.FailureClassifier.Failure;
import dev.pgflip.jdbc.internal.RetryPolicy.Ambiguous;
import dev.pgflip.jdbc.internal.RetryPolicy.GiveUp;
import dev.pgflip.jdbc.internal.RetryPolicy.Retry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
    private static final long TEN_SECONDS = Duration.ofSeconds(10).toNanos();

    @Test
    void backoffDoublesFrom25msAndCapsAt400ms() {
        assertThat(RetryPolicy.delayAfter(1)).isEqualTo(Duration.ofMillis(25));
        assertThat(RetryPolicy.delayAfter(2)).isEqualTo(Duration.ofMillis(50));
        assertThat(RetryPolicy.delayAfter(4)).isEqualTo(Duration.ofMillis(200));
        assertThat(RetryPolicy.delayAfter(5)).isEqualTo(Duration.ofMillis(400));
        assertThat(RetryPolicy.delayAfter(60)).isEqualTo(Duration.ofMillis(400));
    }

    @Test
    void connectionFailureBeforeCommitIsRetriedWhileTheDeadlineLeavesRoom() {
        assertThat(RetryPolicy.decide(Failure.CONNECTION_LOST, false, 1, TEN_SECONDS)).isEqualTo(new Retry(Duration.ofMillis(25)));
        assertThat(RetryPolicy.decide(Failure.READ_ONLY, false, 3, TEN_SECONDS)).isInstanceOf(Retry.class);
        assertThat(RetryPolicy.decide(Failure.SERVER_SHUTDOWN, false, 5, Duration.ofMillis(300).toNanos()))
                .isInstanceOf(GiveUp.class);
    }

    @Test
    void failureDuringCommitIsAmbiguousAndNeverRetried() {
        assertThat(RetryPolicy.decide(Failure.CONNECTION_LOST, true, 1, TEN_SECONDS)).isInstanceOf(Ambiguous.class);
        assertThat(RetryPolicy.decide(Failure.SERVER_SHUTDOWN, true, 1, TEN_SECONDS)).isInstanceOf(Ambiguous.class);
        assertThat(RetryPolicy.decide(Failure.OTHER, true, 1, TEN_SECONDS)).isInstanceOf(GiveUp.class);
    }

    @Test
    void callerErrorsAreNeverRetried() {
        assertThat(RetryPolicy.decide(Failure.OTHER, false, 1, TEN_SECONDS)).isInstanceOf(GiveUp.class);
    }

    @Test
    void deadlineCountsDownOnTheGivenClockAndCanBeShortened() {
        AtomicLong now = new AtomicLong(1_000);
        Deadline d = Deadline.after(Duration.ofMillis(100), now::get);
        assertThat(d.remainingMillis()).isEqualTo(100);
        now.addAndGet(Duration.ofMillis(60).toNanos());
        assertThat(d.remainingMillis()).isEqualTo(40);
        assertThat(d.atMost(Duration.ofMillis(10)).remainingMillis()).isEqualTo(10);
        assertThat(d.atMost(Duration.ofSeconds(1)).remainingMillis()).isEqualTo(40);
        now.addAndGet(Duration.ofMillis(60).toNanos());
        assertThat(d.expired()).isTrue();
    }
}
