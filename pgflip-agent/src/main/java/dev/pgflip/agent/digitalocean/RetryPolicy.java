package dev.pgflip.agent.digitalocean;

import dev.pgflip.agent.time.Deadline;
import dev.pgflip.agent.time.DeadlineExceededException;
import dev.pgflip.agent.time.Sleeper;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retries an API call with exponential backoff and jitter, never past a {@link Deadline}. Retried: 429, 5xx,
 * 422 "pending event"/locked, connection errors and timeouts. Not retried: 401 (see
 * {@link TokenRejectedException}), 403 (see {@link TokenScopeException}), 404 and other 4xx, which fail at once. A
 * {@code retry-after} header is a floor for the next delay; if it reaches past the deadline the call gives up
 * immediately instead of sleeping for nothing.
 */
public final class RetryPolicy {
    private static final Logger log = LoggerFactory.getLogger(RetryPolicy.class);

    private final Duration initialDelay;
    private final Duration maxDelay;
    private final Random random;
    private final Sleeper sleeper;

    public RetryPolicy(Duration initialDelay, Duration maxDelay, Random random, Sleeper sleeper) {
        if (initialDelay.isNegative() || initialDelay.isZero() || maxDelay.compareTo(initialDelay) < 0) {
            throw new IllegalArgumentException("need 0 < initialDelay <= maxDelay, got " + initialDelay + ", " + maxDelay);
        }
        this.initialDelay = initialDelay;
        this.maxDelay = maxDelay;
        this.random = random;
        this.sleeper = sleeper;
    }

    /** 100 ms doubling up to 2 s: a failover hook has seconds, not minutes. */
    public static RetryPolicy defaults() {
        return new RetryPolicy(Duration.ofMillis(100), Duration.ofSeconds(2), new Random(), Sleeper.SYSTEM);
    }

    /** One try of the call. */
    @FunctionalInterface
    public interface Attempt<T> {
        T call() throws IOException;
    }

    public <T> T run(String operation, Deadline deadline, Attempt<T> attempt) {
        int attempts = 0;
        Exception last = null;
        ApiException lastAnswer = null;
        while (true) {
            if (deadline.isExpired()) {
                throw gaveUp(operation, deadline, attempts, last, lastAnswer, "");
            }
            Optional<Duration> retryAfter;
            try {
                return attempt.call();
            } catch (ApiException e) {
                if (!e.error().isRetryable()) {
                    throw e;
                }
                last = e;
                lastAnswer = e;
                retryAfter = e.error().retryAfter();
            } catch (IOException e) {
                last = e;
                retryAfter = Optional.empty();
            }
            attempts++;
            Duration delay = delayBefore(attempts + 1, retryAfter);
            if (delay.compareTo(deadline.remaining()) >= 0) {
                throw gaveUp(operation, deadline, attempts, last, lastAnswer,
                        " (next try in " + delay.toMillis() + "ms would pass the deadline)");
            }
            log.info("{} attempt {} failed ({}); retrying in {}ms", operation, attempts, describe(last), delay.toMillis());
            sleep(delay, operation);
        }
    }

    /**
     * Delay before try number {@code attempt} (2 = first retry): half of the exponential step fixed, half
     * random, so agents on several nodes do not hit the API in lockstep; at least {@code retryAfter}.
     */
    public Duration delayBefore(int attempt, Optional<Duration> retryAfter) {
        int doublings = Math.min(Math.max(attempt - 2, 0), 20);
        long stepMillis = Math.min(maxDelay.toMillis(), initialDelay.toMillis() << doublings);
        long half = stepMillis / 2;
        Duration jittered = Duration.ofMillis(half + (half > 0 ? random.nextInt((int) half + 1) : 0));
        return retryAfter.filter(ra -> ra.compareTo(jittered) > 0).orElse(jittered);
    }

    private void sleep(Duration delay, String operation) {
        try {
            sleeper.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeadlineExceededException(operation + " was interrupted", e);
        }
    }

    /**
     * @param lastAnswer the API's last error answer, told too when a later try got no answer at all: a last try has
     *     only what is left of the deadline, and "no answer within 40 ms" alone would hide that the API was answering
     *     503
     */
    private static DeadlineExceededException gaveUp(String operation, Deadline deadline, int attempts, Exception last,
            ApiException lastAnswer, String why) {
        if (attempts == 0) {
            return new DeadlineExceededException(operation + ": no time left in the " + deadline.budget().toMillis()
                    + "ms deadline", null);
        }
        return new DeadlineExceededException(operation + " gave up after " + deadline.elapsed().toMillis() + "ms and "
                + attempts + " attempt(s) within the " + deadline.budget().toMillis() + "ms deadline" + why
                + (last == null ? "" : "; last error: " + describe(last))
                + (lastAnswer == null || lastAnswer == last ? "" : "; last answer: " + describe(lastAnswer)), last);
    }

    static String describe(Exception e) {
        if (e instanceof ApiException) {
            return ((ApiException) e).error().toString();
        }
        // The JDK HttpClient throws e.g. a ConnectException without a message; the reason is in its cause.
        String msg = null;
        for (Throwable t = e; t != null && msg == null; t = t.getCause()) {
            msg = t.getMessage() == null || t.getMessage().isBlank() ? null : t.getMessage();
        }
        return e.getClass().getSimpleName() + (msg == null ? "" : " " + msg);
    }
}
