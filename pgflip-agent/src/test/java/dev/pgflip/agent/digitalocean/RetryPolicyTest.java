package dev.pgflip.agent.digitalocean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pgflip.agent.time.Deadline;
import dev.pgflip.agent.time.DeadlineExceededException;
import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
    final AtomicLong nanos = new AtomicLong();
    final List<Duration> sleeps = new ArrayList<>();
    /** Sleeping advances the fake clock, so deadlines are exact. */
    final RetryPolicy policy = new RetryPolicy(Duration.ofMillis(100), Duration.ofSeconds(2), new Random(7), d -> {
        sleeps.add(d);
        nanos.addAndGet(d.toNanos());
    });

    Deadline deadline(Duration d) {
        return Deadline.after(d, nanos::get);
    }

    static ApiException api(int status, String message, Optional<Duration> retryAfter) {
        return new ApiException("op", new ApiError(status, "x", message, retryAfter));
    }

    @Test
    void backoffGrowsExponentiallyWithJitterUpToTheCap() {
        for (int attempt = 2; attempt < 12; attempt++) {
            long step = Math.min(2000, 100L << (attempt - 2));
            Duration d = policy.delayBefore(attempt, Optional.empty());
            assertThat(d.toMillis()).isBetween(step / 2, step);
        }
    }

    @Test
    void retryAfterIsAFloor() {
        assertThat(policy.delayBefore(2, Optional.of(Duration.ofSeconds(3)))).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void retriesTransientFailuresUntilSuccess() {
        AtomicInteger calls = new AtomicInteger();
        String result = policy.run("op", deadline(Duration.ofSeconds(10)), () -> {
            switch (calls.incrementAndGet()) {
                case 1: throw api(429, "rate", Optional.empty());
                case 2: throw api(503, "down", Optional.empty());
                case 3: throw new ConnectException("refused");
                case 4: throw api(422, "The floating IP already has a pending event.", Optional.empty());
                default: return "ok";
            }
        });
        assertThat(result).isEqualTo("ok");
        assertThat(sleeps).hasSize(4);
    }

    @Test
    void neverSleepsPastTheDeadline() {
        Deadline d = deadline(Duration.ofSeconds(3));
        assertThatThrownBy(() -> policy.run("get ip", d, () -> {
            throw new IOException("timeout");
        })).isInstanceOf(DeadlineExceededException.class)
                .hasMessageContaining("get ip gave up")
                .hasMessageContaining("3000ms deadline")
                .hasMessageContaining("IOException timeout");
        long slept = sleeps.stream().mapToLong(Duration::toMillis).sum();
        assertThat(slept).isLessThan(3000);
    }

    @Test
    void aLastTryWithoutAnswerStillTellsTheApisLastAnswer() {
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> policy.run("get ip", deadline(Duration.ofSeconds(3)), () -> {
            if (calls.incrementAndGet() == 1) {
                throw api(503, "try later", Optional.empty());
            }
            throw new IOException("request timed out");
        })).isInstanceOf(DeadlineExceededException.class)
                .hasMessageContaining("last error: IOException request timed out")
                .hasMessageContaining("; last answer: ")
                .hasMessageContaining("try later");
    }

    @Test
    void theLastAnswerIsToldOnceWhenItIsTheLastError() {
        assertThatThrownBy(() -> policy.run("get ip", deadline(Duration.ofSeconds(1)), () -> {
            throw api(503, "try later", Optional.empty());
        })).isInstanceOf(DeadlineExceededException.class).hasMessageContaining("try later")
                .hasMessageNotContaining("last answer");
    }

    @Test
    void retryAfterBeyondTheDeadlineGivesUpAtOnce() {
        assertThatThrownBy(() -> policy.run("assign", deadline(Duration.ofSeconds(5)), () -> {
            throw api(429, "rate", Optional.of(Duration.ofSeconds(60)));
        })).isInstanceOf(DeadlineExceededException.class).hasMessageContaining("would pass the deadline");
        assertThat(sleeps).isEmpty();
    }

    @Test
    void permanentErrorsAreNotRetried() {
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> policy.run("op", deadline(Duration.ofSeconds(10)), () -> {
            calls.incrementAndGet();
            throw api(404, "not found", Optional.empty());
        })).isInstanceOf(ApiException.class);
        assertThatThrownBy(() -> policy.run("op", deadline(Duration.ofSeconds(10)), () -> {
            calls.incrementAndGet();
            throw api(422, "Droplet already has a reserved IP.", Optional.empty());
        })).isInstanceOf(ApiException.class);
        assertThatThrownBy(() -> policy.run("op", deadline(Duration.ofSeconds(10)), () -> {
            calls.incrementAndGet();
            throw new TokenRejectedException("DIGITALOCEAN_ACCESS_TOKEN");
        })).isInstanceOf(TokenRejectedException.class);
        assertThat(calls).hasValue(3);
        assertThat(sleeps).isEmpty();
    }
}
