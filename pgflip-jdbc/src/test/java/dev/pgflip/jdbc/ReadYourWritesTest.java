package dev.pgflip.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ReadYourWritesTest {

    private static ReadYourWrites resumed(String token) {
        return new ReadYourWrites(null, null, null, null, token);
    }

    @Test
    void aSessionResumedFromATimelineTokenKeepsTheTimelineAndStillGivesTheLsnAloneToOldCallers() {
        ReadYourWrites session = resumed("0/3000060@3");
        assertThat(session.timelineToken()).isEqualTo("0/3000060@3");
        assertThat(session.token()).as("as before: an LSN alone").isEqualTo("0/3000060");
    }

    @Test
    void aSessionResumedFromAnLsnOnlyTokenStillWorks() {
        ReadYourWrites session = resumed("0/3000060");
        assertThat(session.token()).isEqualTo("0/3000060");
        assertThat(session.timelineToken()).as("no timeline to carry").isEqualTo("0/3000060");
    }

    @Test
    void aNewSessionHasNoTokenYet() {
        assertThat(resumed(null).token()).isNull();
        assertThat(resumed(" ").timelineToken()).isNull();
    }

    @Test
    void aBadTokenIsRejectedSayingWhatIsExpected() {
        assertThatThrownBy(() -> resumed("cookie-crumbs")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'cookie-crumbs'").hasMessageContaining("0/3000060@3");
    }
}
