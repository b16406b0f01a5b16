package dev.pgflip.agent.doctor;

import static dev.pgflip.agent.testing.ScriptedApi.ip;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pgflip.agent.digitalocean.ApiToken;
import dev.pgflip.agent.digitalocean.DigitalOceanClient;
import dev.pgflip.agent.digitalocean.IpResource;
import dev.pgflip.agent.digitalocean.RetryPolicy;
import dev.pgflip.agent.testing.ScriptedApi;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FlipChecksTest {
    static final String FIP = "198.18.0.100";
    static final Path CONFIG = Path.of("/etc/pgflip/pgflip.yaml");

    ScriptedApi api;
    DigitalOceanClient client;
    DoctorReport report = new DoctorReport();

    @BeforeEach
    void start() throws Exception {
        api = new ScriptedApi();
        client = DigitalOceanClient.create(api.url(), ScriptedApi.trust(), IpResource.FLOATING_IPS, Duration.ofSeconds(1),
                new ApiToken("doctor-test-token"), new RetryPolicy(Duration.ofMillis(5), Duration.ofMillis(10), new Random(1), d -> { }));
        api.on("GET /v2/droplets/101", 200, droplet(101, "n1", "10.0.0.11", "lab1"))
                .on("GET /v2/droplets/102", 200, droplet(102, "n2", "10.0.0.12", "lab1"))
                .on("GET /v2/droplets/103", 200, droplet(103, "n3", "10.0.0.13", "lab1"))
                .on("GET /v2/droplets", 200, "{\"droplets\":[" + inner(droplet(101, "n1", "10.0.0.11", "lab1")) + ","
                        + inner(droplet(102, "n2", "10.0.0.12", "lab1")) + "],\"links\":{},\"meta\":{\"total\":2}}");
    }

    @AfterEach
    void stop() {
        api.close();
    }

    static String droplet(long id, String name, String address, String region) {
        return "{\"droplet\":{\"id\":" + id + ",\"name\":\"" + name + "\",\"status\":\"active\",\"region\":{\"slug\":\""
                + region + "\"},\"networks\":{\"v4\":[{\"ip_address\":\"" + address + "\",\"type\":\"private\"}]}}}";
    }

    static String inner(String wrapped) {
        return wrapped.substring(wrapped.indexOf(":{") + 1, wrapped.length() - 1);
    }

    /** n2 asks; n1 at 10.0.0.11 is the primary. */
    static Optional<ClusterView> primaryN1() {
        return Optional.of(new ClusterView(List.of(
                new ClusterMember(1, "n1", "primary", "10.0.0.11", 5432, false, ClusterMember.PRIMARY),
                new ClusterMember(2, "n2", "standby", "10.0.0.12", 5432, true, ClusterMember.STANDBY),
                new ClusterMember(3, "n3", "witness", "10.0.0.13", 5432, false, ClusterMember.WITNESS))));
    }

    CheckResult result(String check) {
        return report.results().stream().filter(r -> r.check().equals(check)).findFirst().orElseThrow();
    }

    void run(OptionalLong self, Optional<ClusterView> cluster) {
        new FlipChecks(client, FIP, self, cluster, CONFIG).run(report);
    }

    @Test
    void theIpOnThePrimarysDropletInThisRegionPasses() {
        api.on("GET /v2/floating_ips/" + FIP, 200, ip("floating_ip", FIP, 101L, false, "lab1"));

        run(OptionalLong.of(102), primaryN1());

        assertThat(result("flip_region").status()).isEqualTo(CheckStatus.OK);
        assertThat(result("flip_holder").status()).isEqualTo(CheckStatus.OK);
        assertThat(result("flip_holder").message()).contains("droplet 101").contains("n1");
    }

    @Test
    void theIpOnAnotherDropletFailsAndTheFixNamesThePrimarysDroplet() {
        api.on("GET /v2/floating_ips/" + FIP, 200, ip("floating_ip", FIP, 103L, false, "lab1"));

        run(OptionalLong.of(102), primaryN1());

        assertThat(result("flip_holder").failed()).isTrue();
        assertThat(result("flip_holder").message()).contains("droplet 103 (n3)").contains("primary is n1");
        assertThat(result("flip_holder").fix()).hasValueSatisfying(f -> assertThat(f).contains("pgflip flip assign 101 --wait"));
    }

    @Test
    void anUnassignedIpFails() {
        api.on("GET /v2/floating_ips/" + FIP, 200, ip("floating_ip", FIP, null, false, "lab1"));

        run(OptionalLong.of(102), primaryN1());

        assertThat(result("flip_holder").failed()).isTrue();
        assertThat(result("flip_holder").message()).contains("not assigned");
    }

    @Test
    void onThePrimaryTheIpMustBeOnItsOwnDroplet() {
        api.on("GET /v2/floating_ips/" + FIP, 200, ip("floating_ip", FIP, 102L, false, "lab1"));
        Optional<ClusterView> n2Primary = Optional.of(new ClusterView(List.of(
                new ClusterMember(2, "n2", "primary", "10.0.0.12", 5432, true, ClusterMember.PRIMARY))));

        run(OptionalLong.of(102), n2Primary);
        assertThat(result("flip_holder").status()).isEqualTo(CheckStatus.OK);

        report = new DoctorReport();
        run(OptionalLong.of(101), n2Primary);
        assertThat(result("flip_holder").failed()).isTrue();
    }

    @Test
    void anIpOfAnotherRegionFails() {
        api.on("GET /v2/floating_ips/" + FIP, 200, ip("floating_ip", FIP, 101L, false, "nyc3"));

        run(OptionalLong.of(102), primaryN1());

        assertThat(result("flip_region").failed()).isTrue();
        assertThat(result("flip_region").message()).contains("nyc3").contains("lab1");
    }

    @Test
    void aMissingIpFailsAndTheHolderIsSkipped() {
        run(OptionalLong.of(102), primaryN1());

        assertThat(result("flip_region").failed()).isTrue();
        assertThat(result("flip_region").message()).contains("does not exist");
        assertThat(result("flip_holder").status()).isEqualTo(CheckStatus.SKIPPED);
        assertThat(report.failures()).isEqualTo(1);
    }

    @Test
    void aTokenThatMayNotReadTheIpFailsWithTheScopeToAddAndTheHolderIsSkipped() {
        api.on("GET /v2/floating_ips/" + FIP, 403, ScriptedApi.error("forbidden", "You do not have access for the attempted action."));

        Optional<dev.pgflip.agent.digitalocean.FloatingIp> seen = new FlipChecks(client, FIP, OptionalLong.of(102),
                primaryN1(), CONFIG).run(report);

        assertThat(seen).isEmpty();
        assertThat(result("flip_region").failed()).isTrue();
        assertThat(result("flip_region").message()).contains("403 forbidden").contains("read scope");
        assertThat(result("flip_region").fix()).hasValueSatisfying(f -> assertThat(f).contains("reserved_ip:read"));
        assertThat(result("flip_holder").status()).isEqualTo(CheckStatus.SKIPPED);
        assertThat(report.failures()).isEqualTo(1);
    }

    @Test
    void theIpReadIsHandedOnForTheWriteScopeCheck() {
        api.on("GET /v2/floating_ips/" + FIP, 200, ip("floating_ip", FIP, 101L, false, "lab1"));

        assertThat(new FlipChecks(client, FIP, OptionalLong.of(102), primaryN1(), CONFIG).run(report))
                .hasValueSatisfying(f -> assertThat(f.dropletId()).hasValue(101));
    }

    @Test
    void withoutASinglePrimaryTheHolderIsNotJudged() {
        api.on("GET /v2/floating_ips/" + FIP, 200, ip("floating_ip", FIP, 101L, false, "lab1"));

        run(OptionalLong.of(102), Optional.empty());

        assertThat(result("flip_holder").status()).isEqualTo(CheckStatus.SKIPPED);
    }
}
