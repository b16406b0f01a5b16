package dev.pgflip.agent.doctor;

import java.util.Optional;

/**
 * One line of the doctor's report: a stable {@code check} id (for scripts and the JSON output), what was found, and
 * for a failure what to do about it.
 */
public record CheckResult(String check, CheckStatus status, String message, Optional<String> fix) {

    public static CheckResult ok(String check, String message) {
        return new CheckResult(check, CheckStatus.OK, message, Optional.empty());
    }

    public static CheckResult fail(String check, String message, String fix) {
        return new CheckResult(check, CheckStatus.FAIL, message, Optional.of(fix));
    }

    public static CheckResult skipped(String check, String message) {
        return new CheckResult(check, CheckStatus.SKIPPED, message, Optional.empty());
    }

    public static CheckResult info(String check, String message) {
        return new CheckResult(check, CheckStatus.INFO, message, Optional.empty());
    }

    /** The first line of an error message (PostgreSQL's add "Position: 86" and hints on lines of their own). */
    static String firstLine(String message) {
        return message == null ? "" : message.lines().findFirst().orElse("").strip();
    }

    public boolean failed() {
        return status == CheckStatus.FAIL;
    }
}
