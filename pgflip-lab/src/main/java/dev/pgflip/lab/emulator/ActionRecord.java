package dev.pgflip.lab.emulator;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One floating IP action as the emulator recorded it; an immutable snapshot (a later status is a new record).
 *
 * @param id           action id
 * @param type         assign or unassign
 * @param ip           the floating IP, dotted IPv4
 * @param dropletId    the target of an assign, the previous holder of an unassign
 * @param status       in-progress, completed or errored
 * @param startedAt    when the action was created
 * @param completedAt  when it finished; empty while in progress
 * @param region       region slug of the IP
 * @param resourceType {@code floating_ip} or {@code reserved_ip}, after the path the action was requested on
 */
public record ActionRecord(long id, ActionType type, String ip, OptionalLong dropletId, ActionStatus status,
                           Instant startedAt, Optional<Instant> completedAt, String region, String resourceType) {

    public ActionRecord {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(ip, "ip");
        Objects.requireNonNull(dropletId, "dropletId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(completedAt, "completedAt");
    }

    public boolean inProgress() {
        return status == ActionStatus.IN_PROGRESS;
    }

    ActionRecord finished(ActionStatus outcome, Instant at) {
        return new ActionRecord(id, type, ip, dropletId, outcome, startedAt, Optional.of(at), region, resourceType);
    }

    boolean involves(long droplet) {
        return dropletId.isPresent() && dropletId.getAsLong() == droplet;
    }
}
