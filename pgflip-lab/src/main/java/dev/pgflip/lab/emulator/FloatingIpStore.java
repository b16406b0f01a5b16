package dev.pgflip.lab.emulator;

import java.time.Clock;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The emulator's only mutable state — floating IPs and their actions — and the rules the real API enforces on them.
 *
 * <p>Every method holds the one monitor, so each request sees and changes a consistent state; values handed out
 * are immutable snapshots. Nothing slow (the {@link FlipMover}) runs under the lock: {@link ActionRunner} asks for a
 * {@link PendingMove}, moves outside, then calls {@link #finish}.
 */
final class FloatingIpStore {
    private static final Logger log = LoggerFactory.getLogger(FloatingIpStore.class);

    private final Map<Long, EmulatedDroplet> droplets;
    private final IpPool pool;
    private final Clock clock;
    private final Map<Long, FloatingIp> ips = new TreeMap<>();
    private final Map<Long, ActionRecord> actions = new LinkedHashMap<>();
    private long lastActionId;

    FloatingIpStore(List<EmulatedDroplet> droplets, IpPool pool, Clock clock) {
        Map<Long, EmulatedDroplet> byId = new LinkedHashMap<>();
        droplets.forEach(d -> byId.put(d.id(), d));
        this.droplets = Map.copyOf(byId);
        this.pool = pool;
        this.clock = clock;
    }

    /** What a create request produced: the IP and, when it named a droplet, the assign action now running. */
    record Created(FloatingIp ip, Optional<ActionRecord> assign) {}

    // ---- droplets (fixed at start, no lock needed) ----

    Optional<EmulatedDroplet> droplet(long id) {
        return Optional.ofNullable(droplets.get(id));
    }

    List<EmulatedDroplet> droplets() {
        return droplets.values().stream().sorted(Comparator.comparingLong(EmulatedDroplet::id)).toList();
    }

    Optional<EmulatedDroplet> dropletWithAddress(String address) {
        return droplets.values().stream().filter(d -> d.hasAddress(address)).findFirst();
    }

    // ---- floating IPs ----

    synchronized List<FloatingIp> ips() {
        return List.copyOf(ips.values());
    }

    synchronized Optional<FloatingIp> ip(String address) {
        return Ipv4.isValid(address) ? Optional.ofNullable(ips.get(key(address))) : Optional.empty();
    }

    synchronized Optional<FloatingIp> heldBy(long dropletId) {
        return ips.values().stream().filter(ip -> ip.heldBy(dropletId)).findFirst();
    }

    synchronized Created createInRegion(Optional<String> requestedIp, String region) {
        FloatingIp ip = new FloatingIp(allocate(requestedIp), region, OptionalLong.empty(), OptionalLong.empty());
        ips.put(key(ip.ip()), ip);
        log.info("floating_ip={} created region={}", ip.ip(), region);
        return new Created(ip, Optional.empty());
    }

    synchronized Created createOnDroplet(Optional<String> requestedIp, long dropletId, IpNaming naming) {
        EmulatedDroplet droplet = droplet(dropletId).orElseThrow(ApiException::notFound);
        checkDropletFree(droplet, naming);
        FloatingIp ip = new FloatingIp(allocate(requestedIp), droplet.region(), OptionalLong.empty(),
                OptionalLong.empty());
        ips.put(key(ip.ip()), ip);
        log.info("floating_ip={} created region={} for droplet={}", ip.ip(), ip.region(), dropletId);
        ActionRecord assign = startAction(ip, ActionType.ASSIGN_IP, OptionalLong.of(dropletId), naming);
        return new Created(ips.get(key(ip.ip())), Optional.of(assign));
    }

    synchronized void delete(String address, IpNaming naming) {
        FloatingIp ip = ip(address).orElseThrow(ApiException::notFound);
        if (ip.locked()) {
            throw ApiException.unprocessable("The " + naming.humanName + " already has a pending event.");
        }
        ips.remove(key(address));
        log.info("floating_ip={} deleted", address);
    }

    // ---- actions ----

    synchronized ActionRecord startAssign(String address, long dropletId, IpNaming naming) {
        FloatingIp ip = ip(address).orElseThrow(ApiException::notFound);
        EmulatedDroplet droplet = droplet(dropletId).orElseThrow(ApiException::notFound);
        checkIpFree(ip, naming);
        if (ip.heldBy(dropletId)) {
            throw ApiException.unprocessable("The " + naming.humanName + " is already assigned to that Droplet.");
        }
        if (!droplet.region().equals(ip.region())) {
            throw ApiException.unprocessable("The Droplet is in region " + droplet.region() + " but the "
                    + naming.humanName + " is in region " + ip.region() + "; they must be in the same region.");
        }
        checkDropletFree(droplet, naming);
        ip.dropletId().ifPresent(holder -> checkNoPendingAction(holder));
        return startAction(ip, ActionType.ASSIGN_IP, OptionalLong.of(dropletId), naming);
    }

    synchronized ActionRecord startUnassign(String address, IpNaming naming) {
        FloatingIp ip = ip(address).orElseThrow(ApiException::notFound);
        checkIpFree(ip, naming);
        if (ip.dropletId().isEmpty()) {
            throw ApiException.unprocessable("The " + naming.humanName + " is not assigned to a Droplet.");
        }
        checkNoPendingAction(ip.dropletId().getAsLong());
        return startAction(ip, ActionType.UNASSIGN_IP, ip.dropletId(), naming);
    }

    synchronized Optional<PendingMove> pendingMove(long actionId) {
        ActionRecord action = actions.get(actionId);
        if (action == null || !action.inProgress()) {
            return Optional.empty();
        }
        FloatingIp ip = ips.get(key(action.ip()));
        Optional<EmulatedDroplet> from = ip.dropletId().stream().mapToObj(this::droplet)
                .flatMap(Optional::stream).findFirst();
        Optional<EmulatedDroplet> to = action.type() == ActionType.ASSIGN_IP
                ? droplet(action.dropletId().getAsLong()) : Optional.empty();
        return Optional.of(new PendingMove(action, from, to));
    }

    /** Ends a running action; only a successful one changes the IP's holder. */
    synchronized ActionRecord finish(long actionId, boolean succeeded) {
        ActionRecord done = actions.get(actionId)
                .finished(succeeded ? ActionStatus.COMPLETED : ActionStatus.ERRORED, clock.instant());
        actions.put(actionId, done);
        FloatingIp ip = ips.get(key(done.ip()));
        OptionalLong holder = !succeeded ? ip.dropletId()
                : done.type() == ActionType.ASSIGN_IP ? done.dropletId() : OptionalLong.empty();
        ips.put(key(done.ip()), ip.unlocked(holder));
        log.info("action={} {} ip={} droplet={} status={}", done.id(), done.type().wireName(), done.ip(),
                describe(done.dropletId()), done.status().wireName());
        return done;
    }

    synchronized List<ActionRecord> actions() {
        return List.copyOf(actions.values());
    }

    synchronized List<ActionRecord> actionsOn(String address) {
        return actions.values().stream().filter(a -> a.ip().equals(address)).toList();
    }

    synchronized Optional<ActionRecord> action(long id) {
        return Optional.ofNullable(actions.get(id));
    }

    private ActionRecord startAction(FloatingIp ip, ActionType type, OptionalLong dropletId, IpNaming naming) {
        long id = ++lastActionId;
        ActionRecord action = new ActionRecord(id, type, ip.ip(), dropletId, ActionStatus.IN_PROGRESS,
                clock.instant(), Optional.empty(), ip.region(), naming.single);
        actions.put(id, action);
        ips.put(key(ip.ip()), ip.lockedBy(id));
        log.info("action={} {} ip={} droplet={} status={}", id, type.wireName(), ip.ip(), describe(dropletId),
                action.status().wireName());
        return action;
    }

    private void checkIpFree(FloatingIp ip, IpNaming naming) {
        if (ip.locked()) {
            throw ApiException.unprocessable("The " + naming.humanName + " already has a pending event.");
        }
    }

    private void checkDropletFree(EmulatedDroplet droplet, IpNaming naming) {
        checkNoPendingAction(droplet.id());
        heldBy(droplet.id()).ifPresent(other -> {
            throw ApiException.unprocessable("Droplet " + droplet.id() + " already has a " + naming.humanName
                    + " assigned (" + other.ip() + "); a Droplet can hold only one.");
        });
    }

    /** A droplet is busy while an action moves an IP onto it or off it. */
    private void checkNoPendingAction(long dropletId) {
        boolean busy = actions.values().stream().filter(ActionRecord::inProgress).anyMatch(a -> a.involves(dropletId)
                || ips.get(key(a.ip())).heldBy(dropletId));
        if (busy) {
            throw ApiException.unprocessable("Droplet already has a pending event.");
        }
    }

    private String allocate(Optional<String> requested) {
        if (requested.isPresent()) {
            String address = requested.get();
            if (ips.containsKey(key(address))) {
                throw ApiException.unprocessable("ip: " + address + " already exists.");
            }
            return Ipv4.parse(address).toString();
        }
        Set<String> taken = ips.values().stream().map(FloatingIp::ip).collect(Collectors.toSet());
        return pool.firstFree(taken).map(Ipv4::toString)
                .orElseThrow(() -> ApiException.unprocessable("No free address left in the pool " + pool + "."));
    }

    private static long key(String address) {
        return Ipv4.parse(address).asUnsignedInt();
    }

    private static String describe(OptionalLong dropletId) {
        return dropletId.isPresent() ? Long.toString(dropletId.getAsLong()) : "none";
    }
}
