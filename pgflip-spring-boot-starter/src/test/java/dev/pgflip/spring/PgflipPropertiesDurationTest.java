package dev.pgflip.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * Spring Boot binds the {@code pgflip.*} durations itself (as {@link Duration}), not with pgflip-common's
 * {@code DurationText}; this runs pgflip-common's one table ({@code durations.csv}) through that binding, and the
 * builder's checks behind it, to hold them to the same grammar: every accepted row binds to the same duration, every
 * refused row stops the configuration (a negative one at the builder's check, the rest at binding).
 *
 * <p>Two rows are Spring Boot's to decide, not the grammar's, and are skipped (reported as such): an empty value,
 * which Spring Boot takes for unset (the builder's default applies), and spaces around a value, which pgflip's parsers
 * strip and Spring Boot does not (YAML drops them before Spring Boot sees the value).
 */
class PgflipPropertiesDurationTest {

    @ParameterizedTest(name = "[{index}] ''{0}'' -> {1}{2}")
    @CsvFileSource(files = "../pgflip-common/src/test/resources/dev/pgflip/common/durations.csv", numLinesToSkip = 1)
    void springBootBindsEachRowOfTheSharedTableAlike(String input, String expected, String error) {
        assumeFalse(input.isEmpty(), "Spring Boot takes an empty value for unset");
        assumeTrue(input.isBlank() || input.equals(input.strip()), "Spring Boot does not strip spaces around a value");
        if (error == null) {
            assertThat(retryDeadline(input)).isEqualTo(Duration.parse(expected));
        } else {
            assertThatThrownBy(() -> retryDeadline(input)).as("refused, like DurationText refuses it: " + error)
                    .isInstanceOf(RuntimeException.class);
        }
    }

    /** {@code pgflip.retry-deadline} (a builder minimum of 0) as a Spring application's configuration gets it. */
    private static Duration retryDeadline(String text) {
        Map<String, String> source = Map.of("pgflip.write", "198.18.0.100", "pgflip.database", "postgres",
                "pgflip.user", "postgres", "pgflip.retry-deadline", text);
        PgflipProperties bound = new Binder(new MapConfigurationPropertySource(source))
                .bind("pgflip", Bindable.of(PgflipProperties.class)).get();
        return bound.toBuilder(null, null).config().retryDeadline();
    }
}
