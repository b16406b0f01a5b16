package dev.pgflip.common;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one grammar of durations in pgflip's configuration: {@code pgflip.*} properties (pgflip-jdbc), the agent's
 * YAML and its command-line options. It is Spring Boot's, so the same text means the same in a Spring application's
 * {@code pgflip.*} properties:
 * <ul>
 *   <li>a whole number and a unit, {@code ns}, {@code us}, {@code ms}, {@code s}, {@code m}, {@code h} or {@code d}
 *       (in either case): {@code 500ms}, {@code 10s}, {@code 1h};</li>
 *   <li>an ISO-8601 duration, in either case: {@code PT30S}, {@code pt0.5s}, {@code P1DT2H};</li>
 *   <li>a whole number alone: milliseconds, {@code 30000}.</li>
 * </ul>
 * Spaces around the text are ignored, not inside it ({@code 20 s} is refused). A negative duration is refused, and so
 * is anything else, with a message naming the setting and these forms.
 */
public final class DurationText {
    /** The accepted forms, as error messages and help texts name them. */
    public static final String FORMS = "a whole number and a unit, ns, us, ms, s, m, h or d (500ms, 10s, 1h), an"
            + " ISO-8601 duration (PT30S) or a whole number of milliseconds (30000)";

    /** Spring Boot's simple style: an optional sign, digits, and up to two letters of unit. */
    private static final Pattern SIMPLE = Pattern.compile("([+-]?\\d+)([a-zA-Z]{0,2})");
    /** Spring Boot's test for its ISO-8601 style; {@link Duration#parse} judges the rest. */
    private static final Pattern ISO_8601 = Pattern.compile("[+-]?[pP].*");

    private DurationText() {
    }

    /**
     * @param key  the setting, as the user wrote it ({@code pgflip.probe-interval}, {@code fencing.probe_interval},
     *             {@code --timeout}): the error names it
     * @param text what the user wrote
     * @return the duration, zero or longer
     * @throws IllegalArgumentException {@code <key> = '<text>': <why>; expected <the forms>}
     */
    public static Duration parse(String key, String text) {
        Objects.requireNonNull(key, "key");
        String t = text == null ? "" : text.strip();
        if (t.isEmpty()) {
            throw invalid(key, text, "empty");
        }
        Duration d;
        Matcher simple = SIMPLE.matcher(t);
        if (simple.matches()) {
            ChronoUnit unit = unit(simple.group(2));
            if (unit == null) {
                throw invalid(key, text, "unknown unit '" + simple.group(2) + "'");
            }
            try {
                d = Duration.of(Long.parseLong(simple.group(1)), unit);
            } catch (NumberFormatException | ArithmeticException e) {
                throw invalid(key, text, "too large");
            }
        } else if (ISO_8601.matcher(t).matches()) {
            try {
                d = Duration.parse(t);
            } catch (DateTimeParseException e) {
                throw invalid(key, text, "not an ISO-8601 duration (PnDTnHnMn.nS)");
            }
        } else {
            throw invalid(key, text, "not a duration");
        }
        if (d.isNegative()) {
            throw invalid(key, text, "negative");
        }
        return d;
    }

    private static ChronoUnit unit(String suffix) {
        return switch (suffix.toLowerCase(Locale.ROOT)) {
            case "", "ms" -> ChronoUnit.MILLIS;
            case "ns" -> ChronoUnit.NANOS;
            case "us" -> ChronoUnit.MICROS;
            case "s" -> ChronoUnit.SECONDS;
            case "m" -> ChronoUnit.MINUTES;
            case "h" -> ChronoUnit.HOURS;
            case "d" -> ChronoUnit.DAYS;
            default -> null;
        };
    }

    private static IllegalArgumentException invalid(String key, String text, String why) {
        return new IllegalArgumentException(key + " = '" + text + "': " + why + "; expected " + FORMS);
    }
}
