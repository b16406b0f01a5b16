package dev.pgflip.agent.provider;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A successful, verified assign and how long its steps took, measured from the start of the assign.
 *
 * @param alreadyHeld the IP was already on the target; nothing was changed
 * @param actionId the API action, when one was created
 * @param actionCreatedAfter when the action was created
 * @param actionCompletedAfter when the action was seen finished
 * @param total until the IP was verified on the target
 */
public record AssignResult(
        String ip,
        NodeIdentity target,
        boolean alreadyHeld,
        OptionalLong actionId,
        Optional<Duration> actionCreatedAfter,
        Optional<Duration> actionCompletedAfter,
        Duration total) {

    public static AssignResult alreadyHeld(String ip, NodeIdentity target, Duration total) {
        return new AssignResult(ip, target, true, OptionalLong.empty(), Optional.empty(), Optional.empty(), total);
    }

    public static AssignResult moved(String ip, NodeIdentity target, Duration total) {
        return new AssignResult(ip, target, false, OptionalLong.empty(), Optional.empty(), Optional.empty(), total);
    }
}
