package dev.pgflip.examples.springcountries;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The app's HTTP API on loopback, as a client sees it: status and JSON body. */
final class AppClient {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** Longer than the app's own bounds (10 s for a writer, 10 s retry deadline): the app must answer first. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    record Response(int status, JsonNode body, long millis) {
        JsonNode servedBy() {
            return body.path("served_by");
        }

        @Override
        public String toString() {
            return status + " " + body + " (" + millis + " ms)";
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;

    AppClient(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    Response get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(base + path)).timeout(REQUEST_TIMEOUT).GET().build());
    }

    Response postCountry(String name, boolean isEuMember) throws IOException, InterruptedException {
        String body = JSON.writeValueAsString(java.util.Map.of("name", name, "is_eu_member", isEuMember));
        return send(HttpRequest.newBuilder(URI.create(base + "/countries")).timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private Response send(HttpRequest request) throws IOException, InterruptedException {
        long start = System.nanoTime();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        long millis = (System.nanoTime() - start) / 1_000_000;
        String text = response.body();
        return new Response(response.statusCode(), JSON.readTree(text == null || text.isBlank() ? "{}" : text), millis);
    }
}
