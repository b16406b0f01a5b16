package dev.pgflip.agent.config;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the configuration's durations: a whole number followed by {@code ms}, {@code s}, {@code m} or {@code h}. */
public final class DurationText {
    private static final Pattern FORMAT = Pattern.compile("(\\d{1,9})(ms|s|m|h)");

    private DurationText() {}

    /** @return the duration, or empty when {@code text} is not like {@code 500ms}, {@code 20s}, {@code 1m}. */
    public static Optional<Duration> parse(String text) {
        Matcher m = FORMAT.matcher(text.trim());
        if (!m.matches()) {
            return Optional.empty();
        }
        long amount = Long.parseLong(m.group(1));
        switch (m.group(2)) {
            case "ms": return Optional.of(Duration.ofMillis(amount));
            case "s": return Optional.of(Duration.ofSeconds(amount));
            case "m": return Optional.of(Duration.ofMinutes(amount));
            default: return Optional.of(Duration.ofHours(amount));
        }
    }

    /** Formats for messages and logs: {@code 250ms}, {@code 20s}. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? (ms / 1000) + "s" : ms + "ms";
    }
}
