package dev.pgflip.agent.provider;

import dev.pgflip.agent.time.Deadline;

/** Moves the floating IP. Implementations: DigitalOcean API, local {@code ip} commands, an external command. */
public interface FlipProvider {

    /** Where the IP is now, as far as this provider can tell. */
    FlipStatus status();

    /**
     * Puts the IP on {@code target} and verifies it, within {@code deadline}.
     *
     * @throws FlipException when it could not be moved or verified in time
     */
    AssignResult assign(NodeIdentity target, Deadline deadline);

    /** Takes the IP away from whoever holds it. */
    void unassign(Deadline deadline);
}
