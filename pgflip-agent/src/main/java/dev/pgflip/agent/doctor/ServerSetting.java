package dev.pgflip.agent.doctor;

import java.util.Optional;
import java.util.function.Predicate;

/**
 * A PostgreSQL setting as the server runs with it, and, when a changed config file waits for a restart
 * ({@code pg_settings.pending_restart}), the value it will have after that restart. Rules must hold for both.
 */
record ServerSetting(String name, String running, Optional<String> afterRestart) {

    static ServerSetting of(String name, String running) {
        return new ServerSetting(name, running, Optional.empty());
    }

    /** The value after a restart if one is pending, else the running one. */
    String effective() {
        return afterRestart.orElse(running);
    }

    /**
     * Whether the rule holds now and after the next restart: a failover can come at any moment, before or after a
     * restart, so a value that is only right on one side of it is not right.
     */
    boolean holds(Predicate<String> rule) {
        return rule.test(running) && afterRestart.map(rule::test).orElse(true);
    }

    /** {@code wal_log_hints=on} or {@code wal_log_hints=on (off after the next restart)}. */
    String describe() {
        return name + "=" + shown(running) + afterRestart.map(v -> " (" + shown(v) + " after the next restart)").orElse("");
    }

    private static String shown(String value) {
        return value.isEmpty() ? "''" : value;
    }

    boolean isOn() {
        return holds(ServerSetting::isOn);
    }

    static boolean isOn(String value) {
        return switch (value.toLowerCase(java.util.Locale.ROOT)) {
            case "on", "true", "yes", "1" -> true;
            default -> false;
        };
    }
}
