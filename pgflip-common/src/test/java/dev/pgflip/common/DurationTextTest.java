package dev.pgflip.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;

/** The grammar against its one table, {@code durations.csv}: every accepted form and every refusal. */
class DurationTextTest {

    @ParameterizedTest(name = "[{index}] ''{0}'' -> {1}{2}")
    @CsvFileSource(resources = "durations.csv", numLinesToSkip = 1)
    void eachRowOfTheTable(String input, String expected, String error) {
        if (error == null) {
            assertThat(DurationText.parse("some.key", input)).isEqualTo(Duration.parse(expected));
        } else {
            assertThat(expected).as("a row is either a duration or an error").isNull();
            assertThatThrownBy(() -> DurationText.parse("some.key", input))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("some.key = '" + input + "': " + error + "; expected " + DurationText.FORMS);
        }
    }
}
