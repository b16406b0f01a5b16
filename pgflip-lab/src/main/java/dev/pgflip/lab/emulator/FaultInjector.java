package dev.pgflip.lab.emulator;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the emulated API misbehave the ways the real one does, so clients' retry and timeout paths get exercised.
 * The same faults are reachable over HTTP at {@code POST/DELETE /_emulator/faults}.
 *
 * <pre>{@code
 * emulator.faults().failNext(429, 2);                        // two rate-limit answers
 * emulator.faults().delayNext(Duration.ofSeconds(5), -1);    // every request slow until clear()
 * emulator.faults().refuseConnections(Duration.ofMinutes(1)); // the API host is unreachable
 * }</pre>
 *
 * Faults apply only to {@code /v2} requests, never to {@code /metadata} or {@code /_emulator}.
 */
public final class FaultInjector {
    private static final Logger log = LoggerFactory.getLogger(FaultInjector.class);
    /** Statuses whose real error id and message the emulator knows. */
    public static final Set<Integer> INJECTABLE_STATUSES = Set.of(422, 429, 500, 503);
    /** A count meaning "until {@link #clear()}". */
    public static final int UNTIL_CLEARED = -1;

    /** Closes and reopens the listening socket; implemented by the HTTP server. */
    interface ConnectionGate {
        void refuseFor(Duration duration);

        void acceptAgain();
    }

    private record Countdown<T>(T value, int remaining) {}

    private final ConnectionGate gate;
    private final Deque<Countdown<Integer>> statuses = new ArrayDeque<>();
    private Countdown<Duration> latency;
    private int delayedRequests;

    FaultInjector(ConnectionGate gate) {
        this.gate = gate;
    }

    /** The next {@code count} API requests answer {@code status} with the real error body. */
    public synchronized void failNext(int status, int count) {
        if (!INJECTABLE_STATUSES.contains(status)) {
            throw new IllegalArgumentException("status: expected one of " + INJECTABLE_STATUSES + ", got " + status);
        }
        statuses.addLast(new Countdown<>(status, checkedCount(count)));
        log.info("fault added: next {} requests answer {}", describeCount(count), status);
    }

    /**
     * The next {@code count} API requests ({@link #UNTIL_CLEARED} for all) are answered after {@code latency}: a slow
     * API (drill fault api-slow). Replaces a latency fault already in force and starts {@link #delayedRequests} at 0.
     */
    public synchronized void delayNext(Duration latency, int count) {
        if (latency.isNegative() || latency.isZero()) {
            throw new IllegalArgumentException("latency_ms: expected a positive duration, got " + latency);
        }
        this.latency = new Countdown<>(latency, checkedCount(count));
        this.delayedRequests = 0;
        log.info("fault added: next {} requests delayed by {} ms", describeCount(count), latency.toMillis());
    }

    /** Closes the listening socket for {@code duration}, then listens on the same port again. */
    public void refuseConnections(Duration duration) {
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("refuse_ms: expected a positive duration, got " + duration);
        }
        log.info("fault added: refusing connections for {} ms", duration.toMillis());
        gate.refuseFor(duration);
    }

    /** Removes every fault, including a running refusal. */
    public void clear() {
        synchronized (this) {
            statuses.clear();
            latency = null;
        }
        gate.acceptAgain();
        log.info("faults cleared");
    }

    /**
     * How many injected error answers are still to be given ({@link #UNTIL_CLEARED} when one applies until cleared):
     * a drill that injected N errors before a failover checks that the agent really met them.
     */
    public synchronized int pendingErrors() {
        int pending = 0;
        for (Countdown<Integer> c : statuses) {
            if (c.remaining() == UNTIL_CLEARED) {
                return UNTIL_CLEARED;
            }
            pending += c.remaining();
        }
        return pending;
    }

    /**
     * The latency in force ({@link #delayNext}), if any: a drill reads it back to show the fault is in place.
     */
    public synchronized Optional<Duration> latency() {
        return latency == null ? Optional.empty() : Optional.of(latency.value());
    }

    /**
     * How many API requests the latency fault has held since it was set (a cleared fault keeps its count until the
     * next one): a drill that slowed the API during a failover checks that the agent's calls really met it.
     */
    public synchronized int delayedRequests() {
        return delayedRequests;
    }

    synchronized Optional<Duration> takeLatency() {
        if (latency == null) {
            return Optional.empty();
        }
        delayedRequests++;
        Duration value = latency.value();
        int remaining = latency.remaining();
        latency = remaining == UNTIL_CLEARED ? latency
                : remaining > 1 ? new Countdown<>(value, remaining - 1) : null;
        return Optional.of(value);
    }

    synchronized OptionalInt takeStatus() {
        Countdown<Integer> head = statuses.pollFirst();
        if (head == null) {
            return OptionalInt.empty();
        }
        if (head.remaining() == UNTIL_CLEARED) {
            statuses.addFirst(head);
        } else if (head.remaining() > 1) {
            statuses.addFirst(new Countdown<>(head.value(), head.remaining() - 1));
        }
        return OptionalInt.of(head.value());
    }

    private static int checkedCount(int count) {
        if (count != UNTIL_CLEARED && count < 1) {
            throw new IllegalArgumentException("count: expected a positive number or -1 (until cleared), got "
                    + count);
        }
        return count;
    }

    private static String describeCount(int count) {
        return count == UNTIL_CLEARED ? "all (until cleared)" : Integer.toString(count);
    }
}
