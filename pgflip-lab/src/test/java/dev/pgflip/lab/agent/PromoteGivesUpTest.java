package dev.pgflip.lab.agent;

import static dev.pgflip.lab.agent.EmulatedCloud.FLIP;
import static dev.pgflip.lab.agent.EmulatedCloud.OTHER_DROPLET;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pgflip.lab.emulator.ActionRecord;
import dev.pgflip.lab.emulator.ActionStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * When {@code pgflip promote} cannot move the IP it must say so in one stderr line and the documented exit code,
 * within its deadline, and leave the IP where it was.
 *
 * <p>No test here times the run. The faults outlast the 2 s deadline instead: more failures than an agent that stops
 * at its deadline can meet (its retries back off 50 ms, 100 ms, 200 ms, … at least, an assign takes the emulator's
 * {@link EmulatedCloud#ACTION_DELAY} at least), or a refusal far longer than the deadline. An agent that kept trying
 * would outlast them and move the IP, and these tests would fail rather than hang.
 */
class PromoteGivesUpTest extends AgainstTheEmulator {
    /** API errors; at most 6 tries of one call fit in 2 s of backoff (the 7th waits 2.55 s at least). */
    static final int MORE_API_ERRORS_THAN_FIT = 12;
    /** Failed moves; at most 20 assign actions of 100 ms fit in 2 s. */
    static final int MORE_FAILED_MOVES_THAN_FIT = 40;

    @Test
    void givesUpWithExitThreeWhenEveryRequestFailsUntilTheDeadline() throws Exception {
        String config = cloud.config().deadline("2s").write();
        cloud.faults().failNext(500, MORE_API_ERRORS_THAN_FIT);

        AgentRun run = promote(config);

        assertThat(run.exitCode()).as(run.describe()).isEqualTo(3);
        assertThat(cloud.faults().pendingErrors()).as("gave up at its deadline, while the API still failed")
                .isPositive();
        assertThat(run.errLine())
                .startsWith("pgflip promote: ")
                .contains("floating IP " + FLIP)
                .contains("500")
                .contains("2000ms deadline")
                .contains("pgflip flip assign " + EmulatedCloud.THIS_DROPLET);
        assertThat(run.log()).doesNotContain("\tat ");
        cloud.faults().clear();
        assertThat(cloud.holder()).hasValue(OTHER_DROPLET);
    }

    @Test
    void givesUpWithExitThreeWhenEveryAssignEndsErrored() throws Exception {
        String config = cloud.config().deadline("2s").write();
        cloud.mover.failNext(MORE_FAILED_MOVES_THAN_FIT);

        AgentRun run = promote(config);

        assertThat(run.exitCode()).as(run.describe()).isEqualTo(3);
        assertThat(cloud.mover.failuresLeft()).as("gave up at its deadline, while moves still failed").isPositive();
        assertThat(run.errLine()).startsWith("pgflip promote: ").contains(FLIP).contains("errored");
        assertThat(cloud.mover.failedMoves()).isGreaterThanOrEqualTo(1);
        cloud.awaitNoActionInProgress();
        assertThat(cloud.actions()).extracting(ActionRecord::status).doesNotContain(ActionStatus.IN_PROGRESS);
        assertThat(cloud.holder()).hasValue(OTHER_DROPLET);
    }

    @Test
    void exitsFourWhenDigitalOceanRejectsTheToken() throws Exception {
        Path wrong = dir.resolve("wrong-token");
        Files.writeString(wrong, "dop_v1_not_the_right_one\n");
        Files.setPosixFilePermissions(wrong, PosixFilePermissions.fromString("rw-------"));
        String config = cloud.config().tokenFile(wrong).write();

        AgentRun run = promote(config);

        assertThat(run.exitCode()).as(run.describe()).isEqualTo(4);
        assertThat(run.errLine()).contains("DigitalOcean rejected the token").contains("digitalocean.token_file");
        assertThat(run.everythingShown()).doesNotContain("dop_v1_not_the_right_one");
        assertThat(cloud.holder()).hasValue(OTHER_DROPLET);
    }

    @Test
    void flipStatusAlsoExitsFourOnARejectedToken() throws Exception {
        Path wrong = dir.resolve("wrong-token");
        Files.writeString(wrong, "dop_v1_not_the_right_one\n");
        Files.setPosixFilePermissions(wrong, PosixFilePermissions.fromString("rw-------"));

        AgentRun run = cloud.pgflip("flip", "status", "--config", cloud.config().tokenFile(wrong).write());

        assertThat(run.exitCode()).as(run.describe()).isEqualTo(4);
        assertThat(run.errLine()).startsWith("pgflip flip status: ").contains("DigitalOcean rejected the token");
    }

    @Test
    void exitsTwoNamingTheKeyAndFileWhenTheTokenFileIsMissing() throws Exception {
        Path missing = dir.resolve("no-such-token");
        String config = cloud.config().tokenFile(missing).write();

        AgentRun run = promote(config);

        assertThat(run.exitCode()).as(run.describe()).isEqualTo(2);
        assertThat(run.errLine()).contains("digitalocean.token_file").contains(missing.toString());
        assertThat(cloud.actions()).hasSize(1);
    }

    @Test
    void exitsTwoAskingForChmod600WhenTheTokenFileIsReadableByOthers() throws Exception {
        Files.setPosixFilePermissions(cloud.tokenFile(), PosixFilePermissions.fromString("rw-r--r--"));
        String config = cloud.config().write();

        AgentRun run = promote(config);

        assertThat(run.exitCode()).as(run.describe()).isEqualTo(2);
        assertThat(run.errLine()).contains("digitalocean.token_file").contains("chmod 600 " + cloud.tokenFile());
        assertThat(cloud.actions()).hasSize(1);
    }

    @Test
    void givesUpWithExitThreeWhenTheApiRefusesConnectionsPastTheDeadline() throws Exception {
        String config = cloud.config().deadline("2s").dropletId(EmulatedCloud.THIS_DROPLET).write();
        cloud.faults().refuseConnections(Duration.ofSeconds(30));

        AgentRun run = promote(config);

        assertThat(run.exitCode()).as(run.describe()).isEqualTo(3);
        assertThat(run.errLine()).startsWith("pgflip promote: ").contains("floating IP " + FLIP)
                .containsIgnoringCase("connect").contains(cloud.baseUrl().getAuthority()).contains("2000ms deadline");
        cloud.faults().clear();
        assertThat(cloud.holder()).hasValue(OTHER_DROPLET);
        assertThat(cloud.eventsLogText()).as("the failure is in the events file, not only in the exit status")
                .contains("\"event\":\"pgflip_promote_failed\"").contains("\"success\":false")
                .doesNotContain("pgflip_promote_done");
    }

    /**
     * Nothing ever listens on port 1, so an agent that did not stop at its deadline could only hang: the timeout is a
     * hang guard, not a measurement (the stop itself is RetryPolicyTest's, on a manual clock).
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void exitsTwoNamingTheMetadataServiceWhenItCannotBeReached() throws Exception {
        String unreachable = "http://127.0.0.1:1/metadata/v1";
        String config = cloud.config().deadline("2s").metadataUrl(unreachable).write();

        AgentRun run = promote(config);

        assertThat(run.exitCode()).as(run.describe()).isEqualTo(2);
        assertThat(run.errLine()).startsWith("pgflip promote: ").contains(unreachable)
                .contains("digitalocean.metadata_url").contains("node.droplet_id");
        assertThat(cloud.actions()).hasSize(1);
    }

    private AgentRun promote(String config) throws Exception {
        return cloud.pgflip("promote", "--config", config, "--skip-promote");
    }
}
