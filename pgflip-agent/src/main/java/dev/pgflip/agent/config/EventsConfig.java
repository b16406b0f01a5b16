package dev.pgflip.agent.config;

import java.nio.file.Path;

/** {@code events}: where {@code pgflip event} appends its JSON lines. */
public record EventsConfig(Path logFile) {}
