package dev.pgflip.lab.drill;

import dev.pgflip.lab.LabException;
import java.time.Duration;

/**
 * The knobs of the API faults, validated once.
 *
 * @param apiErrors how many error answers the API gives right before the kill (api-429, api-500)
 * @param apiOutage how long the API refuses connections from right before the kill (api-down)
 * @param apiLatency how late the API answers every call from right before the kill (api-slow)
 */
public record FaultSettings(int apiErrors, Duration apiOutage, Duration apiLatency) {
    /** Enough errors that the agent must retry more than once; few enough to fit its 20 s deadline many times over. */
    public static final int DEFAULT_API_ERRORS = 3;
    /** The "API down for a minute": longer than the promote hook's 20 s deadline, so the hook hands the move to pgflip watch. */
    public static final Duration DEFAULT_API_OUTAGE = Duration.ofSeconds(60);
    /** Issue 13's slow API: every call 8 s, longer than the agent's default 5 s request timeout. */
    public static final Duration DEFAULT_API_LATENCY = Duration.ofSeconds(8);

    public FaultSettings {
        if (apiErrors < 1 || apiErrors > 20) {
            throw new LabException("--api-errors " + apiErrors + " is out of range: give 1 to 20");
        }
        if (apiOutage.compareTo(Duration.ofSeconds(5)) < 0 || apiOutage.compareTo(Duration.ofMinutes(10)) > 0) {
            throw new LabException("--api-down-seconds " + apiOutage.toSeconds() + " is out of range: give 5 to 600");
        }
        if (apiLatency.compareTo(Duration.ofSeconds(1)) < 0 || apiLatency.compareTo(Duration.ofSeconds(30)) > 0) {
            throw new LabException("--api-latency-seconds " + apiLatency.toSeconds() + " is out of range: give 1 to 30");
        }
    }

    public static FaultSettings defaults() {
        return new FaultSettings(DEFAULT_API_ERRORS, DEFAULT_API_OUTAGE, DEFAULT_API_LATENCY);
    }
}
