package dev.pgflip.agent.config;

import java.time.Duration;
import java.util.List;

/** {@code promote}: the promote command as an argv list, and the whole hook's time budget. */
public record PromoteConfig(List<String> command, Duration deadline) {
    public static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(20);

    public PromoteConfig {
        command = List.copyOf(command);
    }
}
