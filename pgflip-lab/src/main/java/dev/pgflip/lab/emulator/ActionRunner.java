package dev.pgflip.lab.emulator;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts IP actions in the store and completes them after the action delay: moves the IP with the
 * {@link FlipMover} first, then records the outcome, so {@code completed} always means "moved".
 */
final class ActionRunner {
    private static final Logger log = LoggerFactory.getLogger(ActionRunner.class);

    private final FloatingIpStore store;
    private final FlipMover mover;
    /** Settable while running: a drill measures at DigitalOcean's real timing (seconds) on the same lab. */
    private volatile Duration delay;
    private final ScheduledExecutorService timers;

    ActionRunner(FloatingIpStore store, FlipMover mover, Duration delay, ScheduledExecutorService timers) {
        this.store = store;
        this.mover = mover;
        this.delay = delay;
        this.timers = timers;
    }

    Duration delay() {
        return delay;
    }

    /** Actions started from now on complete after {@code delay}; those already running keep theirs. */
    void delay(Duration delay) {
        if (delay.isNegative() || delay.compareTo(Duration.ofHours(1)) > 0) {
            throw ApiException.unprocessable("action_delay_ms must be 0 to 3600000, got " + delay.toMillis() + ".");
        }
        this.delay = delay;
    }

    ActionRecord assign(String ip, long dropletId, IpNaming naming) {
        return scheduled(store.startAssign(ip, dropletId, naming));
    }

    ActionRecord unassign(String ip, IpNaming naming) {
        return scheduled(store.startUnassign(ip, naming));
    }

    FloatingIpStore.Created createOnDroplet(Optional<String> ip, long dropletId, IpNaming naming) {
        FloatingIpStore.Created created = store.createOnDroplet(ip, dropletId, naming);
        created.assign().ifPresent(this::scheduled);
        return created;
    }

    private ActionRecord scheduled(ActionRecord action) {
        timers.schedule(() -> complete(action.id()), delay.toMillis(), TimeUnit.MILLISECONDS);
        return action;
    }

    private void complete(long actionId) {
        store.pendingMove(actionId).ifPresent(move -> {
            boolean moved = false;
            try {
                mover.move(move.action().ip(), move.from(), move.to());
                moved = true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                log.warn("action={} ip={} errored: interrupted while moving (emulator closing)", actionId,
                        move.action().ip());
            } catch (Exception e) {
                // The action becomes "errored", which is what a client sees; the cause is only for the lab's log.
                log.warn("action={} ip={} errored: mover failed: {}", actionId, move.action().ip(), e.toString(), e);
            } finally {
                // Even an Error from the mover must not leave the IP locked forever.
                store.finish(actionId, moved);
            }
        });
    }
}
