package dev.pgflip.agent.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgflip.agent.config.AgentConfig;
import dev.pgflip.agent.config.AgentConfigLoader;
import dev.pgflip.agent.config.ConfigPurpose;
import dev.pgflip.agent.db.RepmgrNode;
import dev.pgflip.agent.testing.ScriptedApi;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The floating IP's holder against a scripted API and metadata service on 127.0.0.1. */
class FlipProbeTest {
    static final String SECRET = "dop_v1_flip_probe_secret_4242";
    static final String FIP = "198.18.0.100";
    static final String GET_IP = "GET /v2/reserved_ips/" + FIP;
    static final List<RepmgrNode> NODES = List.of(
            Snapshots.node(1, "db-a", RepmgrNode.Type.PRIMARY, true, OptionalInt.empty()),
            Snapshots.node(2, "db-b", RepmgrNode.Type.STANDBY, true, OptionalInt.of(1)));

    @TempDir
    Path dir;
    ScriptedApi api;
    ScriptedApi metadata;

    @BeforeEach
    void setUp() throws Exception {
        api = new ScriptedApi();
        metadata = ScriptedApi.plainHttp();
    }

    @AfterEach
    void tearDown() {
        api.close();
        metadata.close();
    }

    @Test
    void theHoldersDropletIsThisNodeByItsDropletId() throws Exception {
        api.on(GET_IP, 200, ScriptedApi.ip("reserved_ip", FIP, 1002L, false, "nyc3"));
        metadata.on("GET /metadata/v1/reserved_ip/ipv4/active", 200, "true")
                .on("GET /metadata/v1/reserved_ip/ipv4/ip_address", 200, FIP);

        FlipView view = new FlipProbe(config("droplet_id: 1002"), Map.of()).look(NODES);

        assertThat(view.provider()).isEqualTo("digitalocean");
        assertThat(view.holder().known()).isTrue();
        assertThat(view.holder().dropletId()).hasValue(1002);
        assertThat(view.holder().node()).contains("db-b");
        assertThat(view.selfDropletId()).hasValue(1002);
        assertThat(view.metadata().orElseThrow().holds(FIP)).contains(true);
        assertThat(api.requests()).allSatisfy(r -> assertThat(r.authorization()).isEqualTo("Bearer " + SECRET));
    }

    @Test
    void aDropletNamedLikeANodeIsThatNode() throws Exception {
        // ScriptedApi names droplet 1001 "n1"
        api.on(GET_IP, 200, ScriptedApi.ip("reserved_ip", FIP, 1001L, true, "nyc3"));
        metadata.on("GET /metadata/v1/id", 200, "1002").on("GET /metadata/v1/reserved_ip/ipv4/active", 200, "false");
        List<RepmgrNode> named = List.of(Snapshots.node(1, "n1", RepmgrNode.Type.PRIMARY, true, OptionalInt.empty()));

        FlipView view = new FlipProbe(config(""), Map.of()).look(named);

        assertThat(view.holder().node()).contains("n1");
        assertThat(view.holder().dropletName()).contains("n1");
        assertThat(view.holder().locked()).isTrue();
        assertThat(view.selfDropletId()).hasValue(1002);
        assertThat(view.metadata().orElseThrow().active()).contains(false);
        assertThat(api.count("GET /v2/droplets/1001")).isZero();
    }

    @Test
    void otherwiseTheNodeListeningOnOneOfTheDropletsAddresses() throws Exception {
        api.on(GET_IP, 200, ScriptedApi.ip("reserved_ip", FIP, 1001L, false, "nyc3"));
        api.on("GET /v2/droplets/1001", 200, "{\"droplet\":{\"id\":1001,\"name\":\"web-1\",\"status\":\"active\","
                + "\"region\":{\"slug\":\"nyc3\"},\"networks\":{\"v4\":[{\"ip_address\":\"203.0.113.5\",\"type\":\"public\"},"
                + "{\"ip_address\":\"198.18.0.11\",\"type\":\"private\"}]}}}");
        metadata.on("GET /metadata/v1/reserved_ip/ipv4/active", 200, "false");

        FlipView view = new FlipProbe(config("droplet_id: 1002"), Map.of()).look(NODES);

        assertThat(view.holder().node()).contains("db-a");
    }

    @Test
    void aDropletOfNoNodeIsKnownButUnnamed() throws Exception {
        api.on(GET_IP, 200, ScriptedApi.ip("reserved_ip", FIP, 1009L, false, "nyc3"));
        metadata.on("GET /metadata/v1/reserved_ip/ipv4/active", 200, "false");

        FlipView view = new FlipProbe(config("droplet_id: 1002"), Map.of()).look(NODES);

        assertThat(view.holder().known()).isTrue();
        assertThat(view.holder().assigned()).isTrue();
        assertThat(view.holder().node()).isEmpty();
    }

    @Test
    void anUnassignedIpIsKnownToBeOnNobody() throws Exception {
        api.on(GET_IP, 200, ScriptedApi.ip("reserved_ip", FIP, null, false, "nyc3"));
        metadata.on("GET /metadata/v1/reserved_ip/ipv4/active", 200, "false");

        FlipView.Holder holder = new FlipProbe(config("droplet_id: 1002"), Map.of()).look(NODES).holder();

        assertThat(holder.known()).isTrue();
        assertThat(holder.assigned()).isFalse();
        assertThat(holder.dropletId()).isEmpty();
    }

    @Test
    void aRejectedTokenIsAnUnknownHolderThatSaysWhyAndNeverShowsTheToken() throws Exception {
        api.on(GET_IP, 401, ScriptedApi.error("unauthorized", "Unable to authenticate you."));
        metadata.on("GET /metadata/v1/reserved_ip/ipv4/active", 500, "");

        FlipView view = new FlipProbe(config("droplet_id: 1002"), Map.of()).look(NODES);

        assertThat(view.holder().known()).isFalse();
        assertThat(view.holder().error().orElseThrow()).startsWith("cannot read the reserved IP " + FIP + ": ")
                .doesNotContain(SECRET);
        assertThat(view.metadata().orElseThrow().active()).isEmpty();
        assertThat(view.metadata().orElseThrow().error()).isPresent();
    }

    @Test
    void theExecProviderCannotTellAndHasNoMetadata() throws Exception {
        AgentConfig exec = AgentConfigLoader.parse(String.join("\n",
                "node: {name: db-b, database: {host: 127.0.0.1, port: 1, dbname: repmgr, user: repmgr}}",
                "flip: {ip: " + FIP + ", provider: exec}",
                "exec: {command: [/bin/false]}", ""), "test.yaml", ConfigPurpose.STATUS);

        FlipView view = new FlipProbe(exec, Map.of()).look(NODES);

        assertThat(view.provider()).isEqualTo("exec");
        assertThat(view.holder().known()).isFalse();
        assertThat(view.metadata()).isEmpty();
        assertThat(api.requests()).isEmpty();
    }

    private AgentConfig config(String dropletLine) throws Exception {
        Path token = dir.resolve("do-token");
        Files.writeString(token, SECRET + "\n");
        Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-------"));
        return AgentConfigLoader.parse(String.join("\n",
                "node:",
                "  name: db-b",
                dropletLine.isEmpty() ? "" : "  " + dropletLine,
                "  database: {host: 127.0.0.1, port: 1, dbname: repmgr, user: repmgr}",
                "flip: {ip: " + FIP + ", provider: digitalocean}",
                "digitalocean:",
                "  api_url: " + api.url(),
                "  ca_file: " + ScriptedApi.caFile(),
                "  token_file: " + token,
                "  metadata_url: " + metadata.url() + "/metadata/v1",
                "  resource: reserved_ips",
                "  request_timeout: 2s",
                ""), "test.yaml", ConfigPurpose.STATUS);
    }
}
