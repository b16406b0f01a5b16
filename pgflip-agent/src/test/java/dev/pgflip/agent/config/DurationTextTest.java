package dev.pgflip.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationTextTest {
    @Test
    void acceptsMillisecondsSecondsMinutesAndHours() {
        assertThat(DurationText.parse("500ms")).contains(Duration.ofMillis(500));
        assertThat(DurationText.parse("20s")).contains(Duration.ofSeconds(20));
        assertThat(DurationText.parse("1m")).contains(Duration.ofMinutes(1));
        assertThat(DurationText.parse("2h")).contains(Duration.ofHours(2));
    }

    @Test
    void rejectsEverythingElse() {
        assertThat(DurationText.parse("20")).isEmpty();
        assertThat(DurationText.parse("1.5s")).isEmpty();
        assertThat(DurationText.parse("-1s")).isEmpty();
        assertThat(DurationText.parse("20 s")).isEmpty();
        assertThat(DurationText.parse("PT20S")).isEmpty();
    }

    @Test
    void formatsForMessages() {
        assertThat(DurationText.format(Duration.ofMillis(250))).isEqualTo("250ms");
        assertThat(DurationText.format(Duration.ofSeconds(20))).isEqualTo("20s");
    }
}
