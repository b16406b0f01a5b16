package dev.pgflip.lab.agent;

import static dev.pgflip.lab.agent.EmulatedCloud.THIS_DROPLET;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pgflip.lab.emulator.ActionRecord;
import dev.pgflip.lab.emulator.ActionStatus;
import dev.pgflip.lab.emulator.ActionType;
import java.time.Duration;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * {@code pgflip promote --skip-promote} against the DigitalOcean emulator, and with the API misbehaving the ways
 * the real one does: each time the IP must end on this droplet and the hook exit 0.
 */
class PromoteAgainstEmulatorTest extends AgainstTheEmulator {
    @Test
    void movesTheIpToTheDropletTheMetadataServiceNames() throws Exception {
        AgentRun run = promote(cloud.config().write());

        assertMovedHere(run);
        assertThat(cloud.completedAssignsTo(THIS_DROPLET)).hasSize(1);
        ActionRecord assign = cloud.actions().get(cloud.actions().size() - 1);
        assertThat(assign.type()).isEqualTo(ActionType.ASSIGN_IP);
        assertThat(assign.status()).isEqualTo(ActionStatus.COMPLETED);
        assertThat(assign.dropletId()).isEqualTo(OptionalLong.of(THIS_DROPLET));
        assertThat(run.err()).isEmpty();
    }

    @Test
    void aSecondRunFindsTheIpHereAndCreatesNoAction() throws Exception {
        String config = cloud.config().write();
        assertMovedHere(promote(config));
        int actionsAfterFirstRun = cloud.actions().size();

        AgentRun again = promote(config);

        assertThat(again.exitCode()).as(again.describe()).isZero();
        assertThat(cloud.actions()).hasSize(actionsAfterFirstRun);
        assertThat(cloud.holder()).hasValue(THIS_DROPLET);
        assertThat(again.log()).contains("already on droplet=" + THIS_DROPLET);
    }

    @Test
    void worksUnderTheReservedIpName() throws Exception {
        AgentRun run = promote(cloud.config().resource("reserved_ips").write());

        assertMovedHere(run);
        assertThat(cloud.completedAssignsTo(THIS_DROPLET)).extracting(ActionRecord::resourceType)
                .containsExactly("reserved_ip");
    }

    @Test
    void succeedsAfterTwoRateLimitAnswersHonouringRetryAfter() throws Exception {
        String config = cloud.config().write();
        cloud.faults().failNext(429, 2);

        AgentRun run = promote(config);

        assertMovedHere(run);
        // The emulator says retry-after: 1 on each 429; the agent must not come back sooner: the delay it chose
        // (its jittered backoff alone would be 50-200 ms), and that it really waited it (a lower bound only).
        assertThat(run.events()).filteredOn(e -> e.contains("retrying in")).hasSize(2)
                .allSatisfy(e -> assertThat(e).contains("429").endsWith("retrying in 1000ms"));
        assertThat(run.took()).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
        assertThat(cloud.faults().pendingErrors()).isZero();
    }

    @Test
    void succeedsAfterOneServerError() throws Exception {
        String config = cloud.config().write();
        cloud.faults().failNext(500, 1);

        assertMovedHere(promote(config));
    }

    @Test
    void succeedsAfterServiceUnavailable() throws Exception {
        String config = cloud.config().write();
        cloud.faults().failNext(503, 2);

        assertMovedHere(promote(config));
    }

    @Test
    void succeedsAfterAPendingEventAnswer() throws Exception {
        String config = cloud.config().write();
        cloud.faults().failNext(422, 1);

        assertMovedHere(promote(config));
    }

    @Test
    void succeedsAfterASecondOfAddedLatency() throws Exception {
        String config = cloud.config().write();
        cloud.faults().delayNext(Duration.ofSeconds(1), 1);

        AgentRun run = promote(config);

        assertMovedHere(run);
        assertThat(cloud.faults().delayedRequests()).as("the agent's call met the latency").isEqualTo(1);
        assertThat(run.took()).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void succeedsWhenLatencyExceedsTheRequestTimeout() throws Exception {
        String config = cloud.config().requestTimeout("300ms").write();
        cloud.faults().delayNext(Duration.ofSeconds(1), 2);

        assertMovedHere(promote(config));
    }

    @Test
    void succeedsAfterConnectionsWereRefusedForASecond() throws Exception {
        String config = cloud.config().write();
        cloud.faults().refuseConnections(Duration.ofSeconds(1));

        AgentRun run = promote(config);

        assertMovedHere(run);
        assertThat(run.took()).isGreaterThanOrEqualTo(Duration.ofMillis(900));
    }

    @Test
    void retriesAnAssignThatEndedErrored() throws Exception {
        String config = cloud.config().write();
        cloud.mover.failNext(1);

        AgentRun run = promote(config);

        assertMovedHere(run);
        assertThat(cloud.mover.failedMoves()).isEqualTo(1);
        assertThat(cloud.actions()).extracting(ActionRecord::status).endsWith(ActionStatus.ERRORED, ActionStatus.COMPLETED);
        assertThat(run.log()).contains("errored");
    }

    @Test
    void waitsForAnotherActionThatHoldsTheLockThenMoves() throws Exception {
        String config = cloud.config().write();
        // Someone else's unassign is running: the IP is locked and a POST would get 422 "pending event".
        cloud.api("POST", "/v2/floating_ips/" + EmulatedCloud.FLIP + "/actions", "{\"type\": \"unassign\"}");

        AgentRun run = promote(config);

        assertMovedHere(run);
        assertThat(cloud.actions()).extracting(ActionRecord::type)
                .endsWith(ActionType.UNASSIGN_IP, ActionType.ASSIGN_IP);
    }

    @Test
    void retriesTheAssignWhileThisDropletHasAPendingEvent() throws Exception {
        String config = cloud.config().write();
        String other = "198.18.0.101";
        cloud.api("POST", "/v2/floating_ips", "{\"ip\": \"" + other + "\", \"droplet_id\": " + THIS_DROPLET + "}");
        cloud.awaitNoActionInProgress();
        // Someone unassigns the other IP from this droplet, slowly: until that is done, an assign to this droplet
        // is refused with 422 "Droplet already has a pending event", which is worth waiting for.
        cloud.mover.slowDown(other, Duration.ofMillis(1500));
        cloud.startAction(other, "{\"type\": \"unassign\"}");

        AgentRun run = promote(config);

        assertMovedHere(run);
        assertThat(run.log()).contains("pending event");
    }

    @Test
    void exitsThreeNamingTheConflictWhenThisDropletHoldsAnotherIp() throws Exception {
        String config = cloud.config().write();
        cloud.api("POST", "/v2/floating_ips", "{\"ip\": \"198.18.0.101\", \"droplet_id\": " + THIS_DROPLET + "}");
        cloud.awaitNoActionInProgress();

        AgentRun run = promote(config);

        assertThat(run.exitCode()).as(run.describe()).isEqualTo(3);
        assertThat(run.errLine()).contains("refused to assign").contains("422").contains("198.18.0.101");
        assertThat(cloud.holder()).hasValue(EmulatedCloud.OTHER_DROPLET);
    }

    private AgentRun promote(String config) throws Exception {
        return cloud.pgflip("promote", "--config", config, "--skip-promote");
    }

    private void assertMovedHere(AgentRun run) throws Exception {
        assertThat(run.exitCode()).as(run.describe()).isZero();
        assertThat(run.err()).as("stderr of a successful run").isEmpty();
        assertThat(cloud.holder()).hasValue(THIS_DROPLET);
        assertThat(cloud.actions()).noneMatch(ActionRecord::inProgress);
    }
}
