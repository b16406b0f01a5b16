package dev.pgflip.agent.digitalocean;

import java.time.Instant;
import java.util.Optional;

/** An API action such as {@code assign_ip}: {@code status} is in-progress, completed or errored (or unexpected). */
public record Action(long id, String status, String type, Optional<Instant> startedAt, Optional<Instant> completedAt) {
    public static final String IN_PROGRESS = "in-progress";
    public static final String COMPLETED = "completed";

    /** Anything but in-progress is finished (the API has been seen returning unexpected statuses). */
    public boolean isFinished() {
        return !IN_PROGRESS.equals(status);
    }

    /** Only completed is success. */
    public boolean isCompleted() {
        return COMPLETED.equals(status);
    }
}
