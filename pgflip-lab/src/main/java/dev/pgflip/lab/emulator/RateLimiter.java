package dev.pgflip.lab.emulator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * DigitalOcean's two request budgets: a per-hour limit reported in the {@code ratelimit-*} headers and a
 * per-minute burst limit that is not reported but also answers 429. Sliding windows, like the real API, whose
 * {@code ratelimit-reset} is when the oldest counted request leaves the window.
 */
final class RateLimiter {
    private static final Duration HOUR = Duration.ofHours(1);
    private static final Duration MINUTE = Duration.ofMinutes(1);

    private final int perHour;
    private final int perMinute;
    private final Clock clock;
    private final Deque<Instant> lastHour = new ArrayDeque<>();
    private final Deque<Instant> lastMinute = new ArrayDeque<>();

    /** The headers of one answer; {@code retryAfterSeconds} is 0 when the request was allowed. */
    record Decision(boolean allowed, int limit, int remaining, long resetEpochSeconds, long retryAfterSeconds) {}

    RateLimiter(int perHour, int perMinute, Clock clock) {
        this.perHour = perHour;
        this.perMinute = perMinute;
        this.clock = clock;
    }

    /** Counts the request if both budgets allow it. */
    synchronized Decision acquire() {
        Instant now = clock.instant();
        expire(now);
        if (lastHour.size() >= perHour) {
            return refused(now, lastHour.peekFirst().plus(HOUR));
        }
        if (lastMinute.size() >= perMinute) {
            return refused(now, lastMinute.peekFirst().plus(MINUTE));
        }
        lastHour.addLast(now);
        lastMinute.addLast(now);
        return new Decision(true, perHour, perHour - lastHour.size(), reset(now), 0);
    }

    /** The current headers without counting a request (for injected faults, which the real API never sent). */
    synchronized Decision peek() {
        Instant now = clock.instant();
        expire(now);
        return new Decision(true, perHour, perHour - lastHour.size(), reset(now), 0);
    }

    private Decision refused(Instant now, Instant freeAt) {
        long retryAfter = Math.max(1, (long) Math.ceil(Duration.between(now, freeAt).toMillis() / 1000.0));
        return new Decision(false, perHour, Math.max(0, perHour - lastHour.size()), reset(now), retryAfter);
    }

    private long reset(Instant now) {
        Instant oldest = lastHour.isEmpty() ? now : lastHour.peekFirst();
        return oldest.plus(HOUR).getEpochSecond();
    }

    private void expire(Instant now) {
        while (!lastHour.isEmpty() && !lastHour.peekFirst().plus(HOUR).isAfter(now)) {
            lastHour.removeFirst();
        }
        while (!lastMinute.isEmpty() && !lastMinute.peekFirst().plus(MINUTE).isAfter(now)) {
            lastMinute.removeFirst();
        }
    }
}
