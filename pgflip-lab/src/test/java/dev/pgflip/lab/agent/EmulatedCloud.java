package dev.pgflip.lab.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pgflip.lab.emulator.ActionRecord;
import dev.pgflip.lab.emulator.ActionStatus;
import dev.pgflip.lab.emulator.DigitalOceanEmulator;
import dev.pgflip.lab.emulator.EmulatedDroplet;
import dev.pgflip.lab.emulator.FaultInjector;
import dev.pgflip.lab.tls.TestTls;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.OptionalLong;

/**
 * A DigitalOcean emulator on 127.0.0.1 (the API over HTTPS with the test CA, metadata over HTTP) with two droplets
 * and one floating IP on the first, plus an agent config in a temp directory pointing at it. Droplet
 * {@link #THIS_DROPLET} has public address 127.0.0.1, so the metadata service takes the test (the agent) for that
 * droplet. The emulator also accepts {@link #readOnlyToken}, with read scope only.
 *
 * <p>Every {@link #pgflip} run is checked for the token: it must not appear anywhere the run showed.
 */
final class EmulatedCloud implements AutoCloseable {
    static final String FLIP = "198.18.0.100";
    static final long OTHER_DROPLET = 1001;
    static final long THIS_DROPLET = 1002;
    /** A droplet in region lab2, where the floating IP (lab1) cannot go. */
    static final long FAR_DROPLET = 2001;
    static final Duration ACTION_DELAY = Duration.ofMillis(100);

    private static final ObjectMapper JSON = new ObjectMapper();

    final String token = "dop_v1_" + HexFormat.of().formatHex(new SecureRandom().generateSeed(24));
    /** A token the emulator accepts with read scope only: its writes get 403, as a read-only DigitalOcean token's. */
    final String readOnlyToken = "dop_v1_" + HexFormat.of().formatHex(new SecureRandom().generateSeed(24));
    final DigitalOceanEmulator emulator;
    final FlakyMover mover = new FlakyMover();
    private final Path dir;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
            .sslContext(TestTls.clientContext()).build();

    EmulatedCloud(Path dir) throws Exception {
        this.dir = dir;
        emulator = DigitalOceanEmulator.builder()
                .tls(TestTls.serverContext())
                .token(token)
                .readOnlyToken(readOnlyToken)
                .actionDelay(ACTION_DELAY)
                .droplet(new EmulatedDroplet(OTHER_DROPLET, "pg1", "10.77.0.11", "10.78.0.11"))
                .droplet(new EmulatedDroplet(THIS_DROPLET, "pg2", "127.0.0.1", null))
                .droplet(new EmulatedDroplet(FAR_DROPLET, "far1", "10.77.1.11", null, "lab2"))
                .flipMover(mover)
                .build();
        api("POST", "/v2/floating_ips", "{\"ip\": \"" + FLIP + "\", \"droplet_id\": " + OTHER_DROPLET + "}");
        awaitNoActionInProgress();
        assertThat(holder()).hasValue(OTHER_DROPLET);
        Files.writeString(tokenFile(), token + "\n");
        Files.setPosixFilePermissions(tokenFile(), PosixFilePermissions.fromString("rw-------"));
    }

    URI baseUrl() {
        return emulator.baseUrl();
    }

    FaultInjector faults() {
        return emulator.faults();
    }

    List<ActionRecord> actions() {
        return emulator.actions();
    }

    Path tokenFile() {
        return dir.resolve("do-token");
    }

    /** Puts the read-only token in the agent's token file (mode 0600 kept), as an operator who picked "Read" would. */
    void giveTheAgentTheReadOnlyToken() throws IOException {
        Files.writeString(tokenFile(), readOnlyToken + "\n");
    }

    Path eventsLog() {
        return dir.resolve("events.jsonl");
    }

    /** A config for this cloud; adjust it with the {@link AgentYaml} methods, then {@link AgentYaml#write()}. */
    AgentYaml config() {
        return new AgentYaml(dir, baseUrl(), emulator.metadataUrl(), tokenFile(), eventsLog());
    }

    /** Runs {@code pgflip args…} and checks that the token appears nowhere in what the run showed. */
    AgentRun pgflip(String... args) throws IOException {
        AgentRun run = AgentRun.of(args);
        assertTokenNeverShownIn(run.everythingShown(), "run of pgflip " + String.join(" ", args));
        assertTokenNeverShownIn(eventsLogText(), "events log");
        return run;
    }

    void assertTokenNeverShownIn(String text, String where) {
        assertThat(text).as("the API token must not appear in the " + where).doesNotContain(token)
                .doesNotContain(readOnlyToken);
    }

    String eventsLogText() throws IOException {
        return Files.exists(eventsLog()) ? Files.readString(eventsLog()) : "";
    }

    /** The IP's holder as the emulator reports it over the API. */
    OptionalLong holder() throws IOException, InterruptedException {
        return holder("floating_ips");
    }

    OptionalLong holder(String collection) throws IOException, InterruptedException {
        JsonNode ip = api("GET", "/v2/" + collection + "/" + FLIP, null).path(collection.replaceAll("s$", ""));
        assertThat(ip.path("locked").asBoolean()).as("locked").isFalse();
        JsonNode droplet = ip.path("droplet");
        return droplet.isObject() ? OptionalLong.of(droplet.path("id").asLong()) : OptionalLong.empty();
    }

    /** Starts an action on {@code ip} through the API, as someone else would, without waiting for it. */
    void startAction(String ip, String body) throws Exception {
        api("POST", "/v2/floating_ips/" + ip + "/actions", body);
    }

    /** Moves the IP to {@code droplet} through the API, as someone else would, and waits for the action. */
    void assignDirectly(long droplet) throws Exception {
        api("POST", "/v2/floating_ips/" + FLIP + "/actions", "{\"type\": \"assign\", \"droplet_id\": " + droplet + "}");
        awaitNoActionInProgress();
    }

    void awaitNoActionInProgress() throws InterruptedException {
        Instant giveUp = Instant.now().plusSeconds(5);
        while (actions().stream().anyMatch(ActionRecord::inProgress)) {
            if (Instant.now().isAfter(giveUp)) {
                throw new AssertionError("an action is still in progress: " + actions());
            }
            Thread.sleep(10);
        }
    }

    List<ActionRecord> completedAssignsTo(long droplet) {
        return actions().stream().filter(a -> a.status() == ActionStatus.COMPLETED)
                .filter(a -> a.type() == dev.pgflip.lab.emulator.ActionType.ASSIGN_IP)
                .filter(a -> a.dropletId().equals(OptionalLong.of(droplet))).toList();
    }

    JsonNode api(String method, String path, String body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(baseUrl().resolve(path))
                .timeout(Duration.ofSeconds(5))
                .header("Authorization", "Bearer " + token)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isBetween(200, 299);
        return response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body());
    }

    @Override
    public void close() {
        emulator.close();
    }
}
