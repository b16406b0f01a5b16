package dev.pgflip.lab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pgflip.agent.digitalocean.ApiTrust;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The lab's own calls to the emulator: creating the lab's floating IP at a fixed address (an emulator extension of
 * the create call) and reading who holds it. The agent's client is the one that moves it on failover. Like the
 * agent it speaks HTTPS trusting only the lab's CA, with the host name checked.
 */
public final class EmulatorApi {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final URI base;
    private final String token;

    public EmulatorApi(URI base, Path caCertificate, String token) {
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
                .sslContext(ApiTrust.onlyCaFile(caCertificate).sslContext()).build();
        this.base = base;
        this.token = token;
    }

    public boolean answers() {
        try {
            return send("GET", "/v2/droplets", null).statusCode() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    /** Creates the floating IP assigned to the droplet; returns the assign action's id. */
    public long createFloatingIp(String ip, long dropletId) throws IOException {
        HttpResponse<String> response = send("POST", "/v2/floating_ips", Map.of("ip", ip, "droplet_id", dropletId));
        expect(response, 202);
        JsonNode actions = JSON.readTree(response.body()).path("links").path("actions");
        return actions.isArray() && actions.size() > 0 ? actions.get(0).path("id").asLong() : -1;
    }

    public String actionStatus(long actionId) throws IOException {
        HttpResponse<String> response = send("GET", "/v2/actions/" + actionId, null);
        expect(response, 200);
        return JSON.readTree(response.body()).path("action").path("status").asText();
    }

    /** The droplet the API says holds the IP; empty when unassigned or unknown. */
    public Optional<Long> holderDropletId(String ip) throws IOException {
        HttpResponse<String> response = send("GET", "/v2/floating_ips/" + ip, null);
        if (response.statusCode() == 404) {
            return Optional.empty();
        }
        expect(response, 200);
        JsonNode droplet = JSON.readTree(response.body()).path("floating_ip").path("droplet");
        return droplet.isObject() ? Optional.of(droplet.path("id").asLong()) : Optional.empty();
    }

    /** One action as the emulator's admin endpoint reports it, with millisecond times. */
    public record EmulatorAction(long id, String type, long dropletId, String status, long startedAtMs, Long completedAtMs) {}

    /** Every action so far, from the emulator's admin endpoint (the public API prints times to the second only). */
    public java.util.List<EmulatorAction> actions() throws IOException {
        HttpResponse<String> response = send("GET", "/_emulator/actions", null);
        expect(response, 200);
        java.util.List<EmulatorAction> actions = new java.util.ArrayList<>();
        for (JsonNode a : JSON.readTree(response.body()).path("actions")) {
            String completed = a.path("completed_at").asText(null);
            actions.add(new EmulatorAction(a.path("id").asLong(), a.path("type").asText(), a.path("droplet_id").asLong(-1),
                    a.path("status").asText(), java.time.Instant.parse(a.path("started_at").asText()).toEpochMilli(),
                    completed == null ? null : java.time.Instant.parse(completed).toEpochMilli()));
        }
        return actions;
    }

    /** Admin: the next {@code count} API requests answer {@code status} (429 with retry-after, 500, 503, 422). */
    public void failNext(int status, int count) throws IOException {
        expect(send("POST", "/_emulator/faults", Map.of("status", status, "count", count)), 204);
    }

    /** Admin: the API refuses connections (admin calls included) for {@code duration}, then listens again. */
    public void refuseConnections(Duration duration) throws IOException {
        expect(send("POST", "/_emulator/faults", Map.of("refuse_ms", duration.toMillis())), 204);
    }

    /** Admin: every API request is answered {@code latency} late until {@link #clearFaults} (admin calls never are). */
    public void delayRequests(Duration latency) throws IOException {
        expect(send("POST", "/_emulator/faults", Map.of("latency_ms", latency.toMillis(), "count", -1)), 204);
    }

    /** Admin: API requests the latest latency fault has held so far (it keeps counting until the next one is set). */
    public int delayedRequests() throws IOException {
        HttpResponse<String> response = send("GET", "/_emulator/faults", null);
        expect(response, 200);
        return JSON.readTree(response.body()).path("delayed_requests").asInt();
    }

    /** Admin: removes every injected fault. */
    /** How long the emulator's assign and unassign actions stay in progress, from now on (the lab starts at 250 ms). */
    public void actionDelay(Duration delay) throws IOException {
        expect(send("PUT", "/_emulator/settings", Map.of("action_delay_ms", delay.toMillis())), 200);
    }

    public void clearFaults() throws IOException {
        expect(send("DELETE", "/_emulator/faults", null), 204);
    }

    /** Admin: injected error answers not given yet (-1: one applies until cleared). */
    public int pendingErrors() throws IOException {
        HttpResponse<String> response = send("GET", "/_emulator/faults", null);
        expect(response, 200);
        return JSON.readTree(response.body()).path("pending_errors").asInt();
    }

    private HttpResponse<String> send(String method, String path, Object body) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
                .timeout(Duration.ofSeconds(5))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json");
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while calling the emulator", e);
        }
    }

    private static void expect(HttpResponse<String> response, int status) throws IOException {
        if (response.statusCode() != status) {
            throw new IOException(response.request().method() + " " + response.uri().getPath() + " answered "
                    + response.statusCode() + ": " + response.body());
        }
    }
}
