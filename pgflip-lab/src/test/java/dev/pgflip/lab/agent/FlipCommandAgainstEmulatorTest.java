package dev.pgflip.lab.agent;

import static dev.pgflip.lab.agent.EmulatedCloud.FLIP;
import static dev.pgflip.lab.agent.EmulatedCloud.OTHER_DROPLET;
import static dev.pgflip.lab.agent.EmulatedCloud.THIS_DROPLET;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pgflip.lab.emulator.ActionRecord;
import dev.pgflip.lab.emulator.ActionStatus;
import dev.pgflip.lab.emulator.ActionType;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** {@code pgflip flip status|assign|unassign} against the DigitalOcean emulator over real HTTP. */
class FlipCommandAgainstEmulatorTest extends AgainstTheEmulator {
    @Test
    void statusPrintsTheHolderTheEmulatorReportsAsColumns() throws Exception {
        AgentRun run = cloud.pgflip("flip", "status", "--config", cloud.config().write());

        assertThat(run.exitCode()).as(run.describe()).isZero();
        List<String> lines = run.out().strip().lines().toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0).split("\\s{2,}")).containsExactly("IP", "Region", "Droplet ID", "Droplet Name", "Locked");
        assertThat(lines.get(1).split("\\s+")).containsExactly(FLIP, "lab1", Long.toString(OTHER_DROPLET), "pg1", "false");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void statusAsJsonNamesTheHolderTheEmulatorReports() throws Exception {
        AgentRun run = cloud.pgflip("flip", "status", "--config", cloud.config().write(), "-o", "json");

        assertThat(run.exitCode()).as(run.describe()).isZero();
        JsonNode status = new ObjectMapper().readTree(run.out());
        assertThat(status.path("ip").asText()).isEqualTo(FLIP);
        assertThat(status.path("droplet_id").asLong()).isEqualTo(OTHER_DROPLET);
        assertThat(status.path("droplet_name").asText()).isEqualTo("pg1");
        assertThat(status.path("locked").asBoolean(true)).isFalse();
        assertThat(status.path("region").asText()).isEqualTo("lab1");
    }

    @Test
    void statusFollowsTheIpWhenSomeoneElseMovesIt() throws Exception {
        cloud.assignDirectly(THIS_DROPLET);

        AgentRun run = cloud.pgflip("flip", "status", "--config", cloud.config().write(), "-o", "json");

        assertThat(new ObjectMapper().readTree(run.out()).path("droplet_id").asLong()).isEqualTo(THIS_DROPLET);
    }

    @Test
    void assignWithWaitThenUnassignWithWaitRoundTrips() throws Exception {
        roundTrip("floating_ips", "floating_ip");
    }

    @Test
    void reservedIpNamingRoundTripsTheSameWay() throws Exception {
        roundTrip("reserved_ips", "reserved_ip");
    }

    @Test
    void statusWorksUnderTheReservedIpName() throws Exception {
        AgentRun run = cloud.pgflip("flip", "status", "--config", cloud.config().resource("reserved_ips").write(),
                "-o", "json");

        assertThat(run.exitCode()).as(run.describe()).isZero();
        assertThat(new ObjectMapper().readTree(run.out()).path("droplet_id").asLong()).isEqualTo(OTHER_DROPLET);
    }

    @Test
    void assignWithoutWaitReturnsTheActionStillInProgress() throws Exception {
        AgentRun run = cloud.pgflip("flip", "assign", Long.toString(THIS_DROPLET), "--config", cloud.config().write(),
                "-o", "json");

        assertThat(run.exitCode()).as(run.describe()).isZero();
        JsonNode action = new ObjectMapper().readTree(run.out());
        assertThat(action.path("status").asText()).isEqualTo("in-progress");
        assertThat(action.path("type").asText()).isEqualTo("assign_ip");
        cloud.awaitNoActionInProgress();
        assertThat(cloud.holder()).hasValue(THIS_DROPLET);
    }

    @Test
    void assignWithWaitExitsThreeWhenTheActionEndsErrored() throws Exception {
        cloud.mover.failNext(1);

        AgentRun run = cloud.pgflip("flip", "assign", Long.toString(THIS_DROPLET), "--wait", "--config",
                cloud.config().write());

        assertThat(run.exitCode()).as(run.describe()).isEqualTo(3);
        assertThat(run.errLine()).startsWith("pgflip flip assign: ").contains("assign_ip").contains("errored");
        assertThat(cloud.holder()).hasValue(OTHER_DROPLET);
    }

    private void roundTrip(String collection, String resourceType) throws Exception {
        String config = cloud.config().resource(collection).write();
        int actionsBefore = cloud.actions().size();

        AgentRun assign = cloud.pgflip("flip", "assign", Long.toString(THIS_DROPLET), "--wait", "--config", config,
                "-o", "json");

        assertThat(assign.exitCode()).as(assign.describe()).isZero();
        JsonNode assigned = new ObjectMapper().readTree(assign.out());
        assertThat(assigned.path("status").asText()).isEqualTo("completed");
        assertThat(assigned.path("type").asText()).isEqualTo("assign_ip");
        assertThat(cloud.holder(collection)).hasValue(THIS_DROPLET);

        AgentRun unassign = cloud.pgflip("flip", "unassign", "--wait", "--config", config);

        assertThat(unassign.exitCode()).as(unassign.describe()).isZero();
        assertThat(unassign.out()).contains("completed").contains("unassign_ip");
        assertThat(cloud.holder(collection)).isEmpty();

        List<ActionRecord> made = cloud.actions().subList(actionsBefore, cloud.actions().size());
        assertThat(made).extracting(ActionRecord::type).containsExactly(ActionType.ASSIGN_IP, ActionType.UNASSIGN_IP);
        assertThat(made).extracting(ActionRecord::status).containsOnly(ActionStatus.COMPLETED);
        assertThat(made).extracting(ActionRecord::resourceType).containsOnly(resourceType);
        assertThat(made.get(0).dropletId()).isEqualTo(OptionalLong.of(THIS_DROPLET));
    }
}
