package dev.pgflip.jdbc.internal;

import dev.pgflip.jdbc.HostSpec;
import dev.pgflip.jdbc.HostStatus;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The health of one host in one role, fed by its monitor. Logs one line per state change, tells listeners, and lets
 * callers wait (bounded) until the host is usable again. Its state also follows the shared timeline mark: when another
 * host raises it, this host is re-classified from its last answer at once, on that host's thread, so updates are
 * serialized here (one lock per host, never held while another host's lock is taken).
 */
public final class HostTracker {
    private static final Logger log = LoggerFactory.getLogger(HostTracker.class);
    /** Failed probes in a row before DOWN, unless configured ({@code pgflip.down-after-probe-failures}). */
    public static final int DEFAULT_DOWN_AFTER_FAILURES = 2;

    /**
     * Told of every state change, in order, on the thread that made it: the host's monitor, another host's monitor
     * that raised the timeline mark, or a borrower that found this host below the mark.
     */
    public interface Listener {
        void changed(HostTracker tracker, HostHealth previous, HostHealth current);
    }

    private final HostSpec host;
    private final Role role;
    private final Duration maxReplicaLag;
    private final int downAfterFailures;
    private final LongSupplier nanoClock;
    private final TimelineHighWater timelines;
    private final AtomicReference<HostHealth> health;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    /** Completed while the host is usable in its role; replaced by a fresh one when it stops being usable. */
    private volatile CompletableFuture<Void> usableSignal = new CompletableFuture<>();
    /** The timeline this host last reported while answering as a writable primary; 0 if it never did. */
    private volatile long primaryTimeline;
    /** Whether a probe since the host last answered was refused (nothing listening, or shutting down). */
    private volatile boolean refusedSinceAnswer;

    public HostTracker(HostSpec host, Role role, Duration maxReplicaLag, LongSupplier nanoClock) {
        this(host, role, maxReplicaLag, nanoClock, new TimelineHighWater());
    }

    public HostTracker(HostSpec host, Role role, Duration maxReplicaLag, LongSupplier nanoClock,
            TimelineHighWater timelines) {
        this(host, role, maxReplicaLag, DEFAULT_DOWN_AFTER_FAILURES, nanoClock, timelines);
    }

    /**
     * @param downAfterFailures failed probes in a row that make the host DOWN (a refusal counts at once; see
     *     {@link HostHealth#failed})
     * @param timelines shared by every host of one data source: the newest primary timeline any of them reported
     */
    public HostTracker(HostSpec host, Role role, Duration maxReplicaLag, int downAfterFailures, LongSupplier nanoClock,
            TimelineHighWater timelines) {
        this.timelines = timelines;
        this.host = host;
        this.role = role;
        this.maxReplicaLag = maxReplicaLag;
        this.downAfterFailures = downAfterFailures;
        this.nanoClock = nanoClock;
        this.health = new AtomicReference<>(HostHealth.unknown(nanoClock.getAsLong()));
        timelines.addListener(newest -> reclassify());
    }

    public HostSpec host() {
        return host;
    }

    public Role role() {
        return role;
    }

    public HostHealth health() {
        return health.get();
    }

    /** The current health as a public snapshot. */
    public HostStatus status() {
        HostHealth h = health.get();
        return new HostStatus(host, role.label(), h.state().toPublic(), usable(h.state()), h.replayLag(), h.lsn(),
                Duration.ofNanos(Math.max(0, nanoClock.getAsLong() - h.sinceNanos())), h.lastFailure());
    }

    public void addListener(Listener listener) {
        listeners.add(listener);
    }

    /** Usable in its role: a primary for the writer; a standby or (as last resort) a primary for a reader. */
    public boolean usable() {
        return usable(health.get().state());
    }

    private boolean usable(HostState state) {
        return role == Role.WRITER ? state.writable() : state.readable();
    }

    /**
     * Fit for writes at this instant: a writable primary by its last classification, and not on a timeline below the
     * mark. The second half covers the moment between another host raising the mark and this host's re-classification
     * (which the raising thread is doing): a borrow that decided before the rise is re-checked with this after it.
     */
    public boolean writableNow() {
        return health.get().state().writable() && !timelines.isAbove(primaryTimeline);
    }

    /** The timeline this host last reported while answering as a writable primary (0: never). */
    public long primaryTimeline() {
        return primaryTimeline;
    }

    public void answered(ProbeResult result) {
        long now = nanoClock.getAsLong();
        refusedSinceAnswer = false;
        if (!result.inRecovery() && !result.readOnly()) {
            primaryTimeline = result.timeline();
            // Outside this host's lock: a newer timeline re-classifies every host (this one too) before it returns.
            timelines.saw(result.systemIdentifier(), result.timeline());
        }
        // The mark is read under the lock, so an answer classified against an older mark cannot overwrite the
        // re-classification that a concurrent rise made.
        update(h -> h.answered(result, maxReplicaLag, timelines.newest(), now));
    }

    /** What the last answer means under the current timeline mark: run when the mark moves. */
    public void reclassify() {
        long now = nanoClock.getAsLong();
        update(h -> h.reclassified(maxReplicaLag, timelines.newest(), now));
    }

    public void failed(ProbeFailure failure) {
        long now = nanoClock.getAsLong();
        if (failure.refused()) {
            refusedSinceAnswer = true;
        }
        update(h -> h.failed(failure, downAfterFailures, now));
        HostHealth h = health.get();
        if (h.suspect()) {
            log.warn("pgflip host={} role={} state={} probe failed ({} of {} before DOWN, nothing aborted yet): {}",
                    host, role.label(), h.state(), h.failures(), downAfterFailures, failure.description());
        }
    }

    /**
     * DOWN with no probe refused since it last answered: its server may be stalled rather than gone (a refusal is
     * proof it is gone).
     */
    public boolean downBySilence() {
        return health.get().state() == HostState.DOWN && !refusedSinceAnswer;
    }

    /** A probe failed but the host is not DOWN yet: its monitor re-probes at once to confirm or clear it. */
    public boolean suspect() {
        return health.get().suspect();
    }

    /** Waits at most {@code timeoutNanos} for the host to be usable; true if it is. */
    public boolean awaitUsable(long timeoutNanos) throws InterruptedException {
        if (usable()) {
            return true;
        }
        try {
            usableSignal.get(Math.max(0, timeoutNanos), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            return usable();
        } catch (ExecutionException e) {
            throw new IllegalStateException("usable signal never fails", e);
        }
    }

    /** One change at a time, and listeners told in the order the changes happened. */
    private synchronized void update(UnaryOperator<HostHealth> change) {
        HostHealth previous = health.get();
        HostHealth current = change.apply(previous);
        health.set(current);
        if (previous.state() == current.state()) {
            return;
        }
        if (usable(current.state())) {
            usableSignal.complete(null);
        } else if (usable(previous.state()) || usableSignal.isDone()) {
            usableSignal = new CompletableFuture<>();
        }
        if (current.state() != HostState.UNKNOWN && !usable(current.state())) {
            log.warn("pgflip host={} role={} state={} previous={} lag_ms={} reason={}", host, role.label(),
                    current.state(), previous.state(), current.replayLag().toMillis(), reason(current));
        } else {
            log.info("pgflip host={} role={} state={} previous={} lag_ms={} lsn={}", host, role.label(),
                    current.state(), previous.state(), current.replayLag().toMillis(), current.lsn());
        }
        for (Listener l : listeners) {
            l.changed(this, previous, current);
        }
    }

    private String reason(HostHealth h) {
        return switch (h.state()) {
            case DOWN -> h.lastFailure();
            case LAGGING -> "replay lag above " + maxReplicaLag.toMillis() + " ms";
            case STANDBY -> "in recovery: a writer needs a primary";
            case READ_ONLY -> "transaction_read_only=on: a writer needs a writable primary";
            case STALE_PRIMARY -> "a primary on an older timeline than " + timelines.newest()
                    + ": an old primary that was not fenced (its writes would be lost at its rejoin)";
            default -> "";
        };
    }
}
