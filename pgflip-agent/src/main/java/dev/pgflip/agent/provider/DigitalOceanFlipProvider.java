package dev.pgflip.agent.provider;

import dev.pgflip.agent.ExitCode;
import dev.pgflip.agent.PgflipException;
import dev.pgflip.agent.digitalocean.Action;
import dev.pgflip.agent.digitalocean.ApiException;
import dev.pgflip.agent.digitalocean.DigitalOceanClient;
import dev.pgflip.agent.digitalocean.Droplet;
import dev.pgflip.agent.digitalocean.FloatingIp;
import dev.pgflip.agent.time.Deadline;
import dev.pgflip.agent.time.DeadlineExceededException;
import dev.pgflip.agent.time.Sleeper;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves the IP through the DigitalOcean API: check the holder first (re-assigning to the holder is a 422 on
 * the real API), POST assign, poll the action every {@code pollInterval} until it is not in-progress, then
 * verify that the IP reports our droplet. An action that ends other than {@code completed} is a failed try;
 * the next try starts again from the holder check, until the deadline.
 */
public final class DigitalOceanFlipProvider implements FlipProvider {
    private static final Logger log = LoggerFactory.getLogger(DigitalOceanFlipProvider.class);
    private static final Duration STATUS_BUDGET = Duration.ofSeconds(10);

    private final DigitalOceanClient api;
    private final String ip;
    private final Duration pollInterval;
    private final Sleeper sleeper;

    public DigitalOceanFlipProvider(DigitalOceanClient api, String ip, Duration pollInterval, Sleeper sleeper) {
        this.api = api;
        this.ip = ip;
        this.pollInterval = pollInterval;
        this.sleeper = sleeper;
    }

    @Override
    public FlipStatus status() {
        FloatingIp f = call(() -> api.getFloatingIp(ip, Deadline.after(STATUS_BUDGET)),
                "read " + api.resource().displayName() + " " + ip);
        return new FlipStatus(ip, f.dropletId(), f.dropletName(), f.locked(),
                Optional.of(f.regionSlug()).filter(s -> !s.isEmpty()), Optional.empty());
    }

    @Override
    public AssignResult assign(NodeIdentity target, Deadline deadline) {
        long droplet = target.dropletId().orElseThrow(() -> new PgflipException(ExitCode.USAGE,
                "no droplet id for " + target.name() + ": set node.droplet_id or digitalocean.metadata_url"));
        return call(() -> assignLoop(target, droplet, deadline),
                "move " + api.resource().displayName() + " " + ip + " to droplet " + droplet);
    }

    private AssignResult assignLoop(NodeIdentity target, long droplet, Deadline deadline) {
        String lastProblem = "";
        while (true) {
            if (deadline.isExpired()) {
                throw new DeadlineExceededException("deadline reached" + lastProblem, null);
            }
            Try attempt;
            try {
                attempt = tryAssign(target, droplet, deadline);
            } catch (DeadlineExceededException e) {
                // The deadline hit during a retry: why that retry was needed is what the operator must read.
                throw lastProblem.isEmpty() ? e : new DeadlineExceededException(e.getMessage() + lastProblem, e);
            }
            if (attempt.result().isPresent()) {
                return attempt.result().get();
            }
            lastProblem = "; " + attempt.problem();
            log.warn("{}; checking the holder and trying again", attempt.problem());
        }
    }

    /** The outcome of one try: the verified result, or why another try is needed. */
    private record Try(Optional<AssignResult> result, String problem) {
        static Try done(AssignResult result) {
            return new Try(Optional.of(result), "");
        }

        static Try again(String problem) {
            return new Try(Optional.empty(), problem);
        }
    }

    /** Holder check, assign, wait for the action, verify. */
    private Try tryAssign(NodeIdentity target, long droplet, Deadline deadline) {
        FloatingIp current = awaitUnlocked(deadline);
        if (current.isHeldBy(droplet)) {
            log.info("flip={} already on droplet={}, nothing to do", ip, droplet);
            return Try.done(AssignResult.alreadyHeld(ip, target, deadline.elapsed()));
        }
        Optional<Action> started = startAssign(droplet, deadline);
        if (started.isEmpty()) {
            log.info("flip={} turned out to be on droplet={} already", ip, droplet);
            return Try.done(AssignResult.alreadyHeld(ip, target, deadline.elapsed()));
        }
        Action action = started.get();
        Duration createdAfter = deadline.elapsed();
        log.info("assign action {} created after {}ms (flip={} from droplet={} to droplet={})", action.id(),
                createdAfter.toMillis(), ip, holder(current.dropletId()), droplet);
        String status = awaitAction(action, f -> f.isHeldBy(droplet), deadline);
        Duration completedAfter = deadline.elapsed();
        if (!Action.COMPLETED.equals(status)) {
            return Try.again("assign action " + action.id() + " ended with status " + status);
        }
        log.info("action {} completed after {}ms", action.id(), completedAfter.toMillis());
        verify(droplet, deadline);
        Duration total = deadline.elapsed();
        log.info("flip verified: flip={} droplet={} total={}ms", ip, droplet, total.toMillis());
        return Try.done(new AssignResult(ip, target, false, OptionalLong.of(action.id()), Optional.of(createdAfter),
                Optional.of(completedAfter), total));
    }

    @Override
    public void unassign(Deadline deadline) {
        call(() -> {
            FloatingIp current = awaitUnlocked(deadline);
            if (current.dropletId().isEmpty()) {
                log.info("flip={} is not assigned, nothing to do", ip);
                return null;
            }
            Action action = api.unassign(ip, deadline);
            log.info("unassign action {} created (flip={} from droplet={})", action.id(), ip, holder(current.dropletId()));
            String status = awaitAction(action, f -> f.dropletId().isEmpty(), deadline);
            if (!Action.COMPLETED.equals(status)) {
                throw new FlipException("unassign action " + action.id() + " of " + ip + " ended with status " + status);
            }
            return null;
        }, "unassign " + api.resource().displayName() + " " + ip);
    }

    /** Reads the IP, waiting while an action holds its lock (a POST would only get 422 "pending event"). */
    private FloatingIp awaitUnlocked(Deadline deadline) {
        FloatingIp current = api.getFloatingIp(ip, deadline);
        while (current.locked()) {
            pause(deadline, "flip " + ip + " still locked by another action");
            current = api.getFloatingIp(ip, deadline);
        }
        return current;
    }

    /** @return the new action, or empty when a 422 turned out to mean "already on the target" */
    private Optional<Action> startAssign(long droplet, Deadline deadline) {
        try {
            return Optional.of(api.assign(ip, droplet, deadline));
        } catch (ApiException e) {
            if (e.error().status() == 404) {
                // The IP was just read, so the unknown resource is the droplet.
                throw FlipException.refused(unknownDroplet(droplet), e);
            }
            if (e.error().status() != 422) {
                throw e;
            }
            // A retried POST may have succeeded the first time; then the 422 only says "already yours".
            FloatingIp now = api.getFloatingIp(ip, deadline);
            if (now.isHeldBy(droplet) && !now.locked()) {
                return Optional.empty();
            }
            throw FlipException.refused(refusal(droplet, now, e, deadline), e);
        }
    }

    private String refusal(long droplet, FloatingIp ipNow, ApiException e, Deadline deadline) {
        try {
            Droplet d = api.getDroplet(droplet, deadline);
            if (!d.regionSlug().isEmpty() && !ipNow.regionSlug().isEmpty() && !d.regionSlug().equals(ipNow.regionSlug())) {
                return "droplet " + droplet + " is in region " + d.regionSlug() + " but the "
                        + api.resource().displayName() + " " + ip + " is in " + ipNow.regionSlug()
                        + ": use an IP of the droplet's region";
            }
        } catch (ApiException lookupFailed) {
            if (lookupFailed.error().status() == 404) {
                return unknownDroplet(droplet);
            }
        }
        return "DigitalOcean refused to assign " + ip + " to droplet " + droplet + " (" + e.error() + ")";
    }

    /**
     * Polls the action until it is not in-progress and returns its status. {@code /v2/actions/{id}} may not know
     * a fresh action yet; meanwhile the IP itself is read, and {@code reached} on an unlocked IP counts as done.
     */
    private String awaitAction(Action created, Predicate<FloatingIp> reached, Deadline deadline) {
        Action current = created;
        while (!current.isFinished()) {
            pause(deadline, "action " + created.id() + " still " + current.status());
            Optional<Action> seen;
            try {
                seen = api.getAction(ip, created.id(), deadline);
            } catch (DeadlineExceededException e) {
                throw new DeadlineExceededException("action " + created.id() + " still " + current.status()
                        + " (" + e.getMessage() + ")", e.getCause());
            }
            if (seen.isPresent()) {
                current = seen.get();
            } else {
                FloatingIp f = api.getFloatingIp(ip, deadline);
                if (!f.locked() && reached.test(f)) {
                    log.info("action {} not visible yet, but flip={} already shows the change", created.id(), ip);
                    return Action.COMPLETED;
                }
            }
        }
        return current.status();
    }

    private void verify(long droplet, Deadline deadline) {
        FloatingIp f = api.getFloatingIp(ip, deadline);
        while (!f.isHeldBy(droplet)) {
            pause(deadline, "action completed but " + ip + " reports droplet " + holder(f.dropletId()));
            f = api.getFloatingIp(ip, deadline);
        }
    }

    private void pause(Deadline deadline, String stateIfExpired) {
        Duration wait = deadline.cap(pollInterval);
        if (wait.isZero()) {
            throw new DeadlineExceededException("deadline reached: " + stateIfExpired, null);
        }
        try {
            sleeper.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeadlineExceededException("interrupted: " + stateIfExpired, e);
        }
    }

    /** Maps low-level failures to one actionable {@link FlipException}. */
    private <T> T call(java.util.function.Supplier<T> body, String what) {
        try {
            return body.get();
        } catch (DeadlineExceededException e) {
            throw new FlipException("could not " + what + " in time: " + e.getMessage(), e);
        } catch (ApiException e) {
            if (e.error().status() == 404) {
                throw FlipException.refused(api.resource().displayName() + " " + ip + " not found (404): check"
                        + " flip.ip and digitalocean.resource (floating_ips or reserved_ips)", e);
            }
            throw new FlipException("could not " + what + ": " + e.getMessage(), e);
        }
    }

    private static String unknownDroplet(long droplet) {
        return "droplet " + droplet + " does not exist in this account (404): check node.droplet_id, or the metadata"
                + " service at digitalocean.metadata_url when it is not set";
    }

    private static String holder(OptionalLong dropletId) {
        return dropletId.isPresent() ? Long.toString(dropletId.getAsLong()) : "none";
    }
}
