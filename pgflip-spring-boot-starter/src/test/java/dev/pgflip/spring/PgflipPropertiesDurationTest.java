package dev.pgflip.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
 * <p>Two rows are Spring Boot's to decide, not the grammar's, and are held to Spring Boot's rule instead: an empty
 * value, which Spring Boot takes for unset (the builder's default applies), and spaces around a value, which pgflip's
 * parsers strip and Spring Boot refuses (YAML drops them before Spring Boot sees the value).
 */
class PgflipPropertiesDurationTest {

    @ParameterizedTest(name = "[{index}] ''{0}'' -> {1}{2}")
    @CsvFileSource(files = "../pgflip-common/src/test/resources/dev/pgflip/common/durations.csv", numLinesToSkip = 1)
    void springBootBindsEachRowOfTheSharedTableAlike(String input, String expected, String error) {
        if (input.isEmpty()) {
            assertThat(retryDeadline(input)).as("Spring Boot takes an empty value for unset: the builder's default")
                    .isEqualTo(retryDeadline(null));
        } else if (!input.isBlank() && !input.equals(input.strip())) {
            // pgflip's parsers strip spaces around a value; Spring Boot does not (YAML drops them before it sees one).
            assertThatThrownBy(() -> retryDeadline(input)).as("Spring Boot refuses spaces around a value")
                    .isInstanceOf(RuntimeException.class);
        } else if (error == null) {
            assertThat(retryDeadline(input)).isEqualTo(Duration.parse(expected));
        } else {
            assertThatThrownBy(() -> retryDeadline(input)).as("refused, like DurationText refuses it: " + error)
                    .isInstanceOf(RuntimeException.class);
        }
    }

    /**
     * {@code pgflip.retry-deadline} (a builder minimum of 0) as a Spring application's configuration gets it; null
     * leaves the property out.
     */
    private static Duration retryDeadline(String text) {
        Map<String, String> source = new java.util.HashMap<>(Map.of("pgflip.write", "198.18.0.100",
                "pgflip.database", "postgres", "pgflip.user", "postgres"));
        if (text != null) {
            source.put("pgflip.retry-deadline", text);
        }
        PgflipProperties bound = new Binder(new MapConfigurationPropertySource(source))
                .bind("pgflip", Bindable.of(PgflipProperties.class)).get();
        return bound.toBuilder(null, null).config().retryDeadline();
    }
}
