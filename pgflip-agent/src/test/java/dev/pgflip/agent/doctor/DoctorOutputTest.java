package dev.pgflip.agent.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DoctorOutputTest {

    DoctorReport report() {
        DoctorReport r = new DoctorReport();
        r.add(CheckResult.ok("repmgrd", "repmgrd runs (pid 42, not paused)"));
        r.add(CheckResult.fail("token", "token file /t has mode 0644", "chmod 600 /t"));
        r.add(CheckResult.skipped("token_accepted", "token not tried"));
        r.add(CheckResult.info("client_timeouts", "clients: set timeouts"));
        return r;
    }

    @Test
    void textHasOneLinePerCheckAndTheFixUnderAFailure() {
        String text = DoctorOutput.render(report(), DoctorOutput.Format.TEXT, StandardCharsets.UTF_8);

        assertThat(text.lines()).containsExactly(
                "✓ repmgrd runs (pid 42, not paused)",
                "✗ token file /t has mode 0644",
                "    fix: chmod 600 /t",
                "- token not tried",
                "i clients: set timeouts",
                "",
                "1 passed, 1 problem found.");
    }

    @Test
    void aTerminalWithoutUnicodeGetsWords() {
        String text = DoctorOutput.render(report(), DoctorOutput.Format.TEXT, StandardCharsets.US_ASCII);

        assertThat(text.lines().limit(3)).containsExactly("ok   repmgrd runs (pid 42, not paused)",
                "FAIL token file /t has mode 0644", "       fix: chmod 600 /t");
    }

    @Test
    void jsonCarriesEveryCheckWithItsStatusAndFix() throws Exception {
        JsonNode json = new ObjectMapper().readTree(DoctorOutput.render(report(), DoctorOutput.Format.JSON, StandardCharsets.UTF_8));

        assertThat(json.path("failed").asInt()).isEqualTo(1);
        assertThat(json.path("passed").asInt()).isEqualTo(1);
        assertThat(json.path("checks")).hasSize(4);
        assertThat(json.path("checks").get(1).path("check").asText()).isEqualTo("token");
        assertThat(json.path("checks").get(1).path("status").asText()).isEqualTo("fail");
        assertThat(json.path("checks").get(1).path("fix").asText()).isEqualTo("chmod 600 /t");
        assertThat(json.path("checks").get(0).has("fix")).isFalse();
    }

    @Test
    void theExitCodeCountsFailuresOnly() {
        assertThat(report().exitCode()).isEqualTo(1);
        DoctorReport many = new DoctorReport();
        for (int i = 0; i < 150; i++) {
            many.add(CheckResult.fail("x" + i, "broken", "fix it"));
        }
        assertThat(many.exitCode()).isEqualTo(100);
    }
}
