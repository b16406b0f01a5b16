package dev.pgflip.agent.config;

import dev.pgflip.agent.ExitCode;
import dev.pgflip.agent.PgflipException;
import java.util.List;

/** The configuration is unusable. Lists every problem found, each naming the key, the value and the expectation. */
public final class ConfigException extends PgflipException {
    private final List<String> problems;

    public ConfigException(String source, List<String> problems) {
        super(ExitCode.USAGE, "invalid configuration " + source + ": " + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public ConfigException(String message, Throwable cause) {
        super(ExitCode.USAGE, message, cause);
        this.problems = List.of(message);
    }

    public List<String> problems() {
        return problems;
    }
}
