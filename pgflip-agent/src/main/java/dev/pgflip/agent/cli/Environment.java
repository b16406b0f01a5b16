package dev.pgflip.agent.cli;

import java.util.Map;

/** The process environment, read once at the edge and passed down (never read deep inside the logic). */
final class Environment {
    private Environment() {}

    static Map<String, String> current() {
        return System.getenv();
    }
}
