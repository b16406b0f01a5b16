package dev.pgflip.lab.emulator;

import java.util.Optional;

/**
 * Makes an IP move between droplets for real when an emulated assign or unassign action completes.
 *
 * <p>The emulator calls it once per action, after the action delay and before the action is marked completed, so a
 * client that sees {@code completed} can rely on the address having moved. The lab implements it with
 * {@code ip netns} and arping; tests use a recording lambda.
 *
 * <pre>{@code
 * FlipMover mover = (ip, from, to) -> log.info("move {} from {} to {}", ip, from, to);
 * }</pre>
 *
 * Throwing marks the action {@code errored} and leaves the IP where it was.
 */
@FunctionalInterface
public interface FlipMover {

    /**
     * @param ip   the floating IP, dotted IPv4
     * @param from the droplet holding it now, empty when unassigned
     * @param to   the droplet that will hold it, empty for an unassign
     */
    void move(String ip, Optional<EmulatedDroplet> from, Optional<EmulatedDroplet> to) throws Exception;

    /** Moves nothing: the emulator only changes its own records. */
    FlipMover NONE = (ip, from, to) -> {};
}
