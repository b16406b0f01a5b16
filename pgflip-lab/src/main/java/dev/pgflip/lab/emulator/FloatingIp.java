package dev.pgflip.lab.emulator;

import java.util.OptionalLong;

/**
 * A floating IP's state in the emulator; immutable, replaced on every change.
 *
 * @param ip              dotted IPv4
 * @param region          region slug; floating IPs are region-bound
 * @param dropletId       holder, empty when unassigned. Changes only when an action completes.
 * @param pendingActionId the action running on it; while present the API shows {@code locked: true}
 */
record FloatingIp(String ip, String region, OptionalLong dropletId, OptionalLong pendingActionId) {

    boolean locked() {
        return pendingActionId.isPresent();
    }

    boolean heldBy(long droplet) {
        return dropletId.isPresent() && dropletId.getAsLong() == droplet;
    }

    FloatingIp lockedBy(long actionId) {
        return new FloatingIp(ip, region, dropletId, OptionalLong.of(actionId));
    }

    FloatingIp unlocked(OptionalLong newHolder) {
        return new FloatingIp(ip, region, newHolder, OptionalLong.empty());
    }
}
