package dev.pgflip.lab.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Predicate;

/** A plain JDK HTTP client speaking to the emulator the way a DigitalOcean client would (trusting the test CA). */
final class ApiClient {
    static final ObjectMapper JSON = new ObjectMapper();

    record Answer(int status, HttpHeaders headers, String text) {
        JsonNode json() {
            try {
                return JSON.readTree(text);
            } catch (IOException e) {
                throw new AssertionError("not JSON (status " + status + "): " + text, e);
            }
        }

        long header(String name) {
            return Long.parseLong(headers.firstValue(name).orElseThrow(() -> new AssertionError("no " + name)));
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
            .sslContext(dev.pgflip.lab.tls.TestTls.clientContext()).build();
    private final URI base;
    private final String token;

    ApiClient(URI base, String token) {
        this.base = base;
        this.token = token;
    }

    ApiClient withToken(String otherToken) {
        return new ApiClient(base, otherToken);
    }

    Answer get(String path) throws IOException, InterruptedException {
        return send(request(path).GET());
    }

    Answer post(String path, String body) throws IOException, InterruptedException {
        return send(request(path).POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json"));
    }

    Answer put(String path, String body) throws IOException, InterruptedException {
        return send(request(path).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body)));
    }

    Answer delete(String path) throws IOException, InterruptedException {
        return send(request(path).DELETE());
    }

    /** Polls {@code path} until {@code done} holds, every 25 ms, for at most {@code deadline}. */
    Answer awaitGet(String path, Predicate<Answer> done, Duration deadline) throws Exception {
        Instant giveUp = Instant.now().plus(deadline);
        Answer last = get(path);
        while (!done.test(last)) {
            if (Instant.now().isAfter(giveUp)) {
                throw new AssertionError("gave up after " + deadline + " waiting on " + path + "; last: "
                        + last.status() + " " + last.text());
            }
            Thread.sleep(25);
            last = get(path);
        }
        return last;
    }

    /** Polls until a GET gets any answer at all, for a server that is refusing connections for a while. */
    Answer awaitGetTolerant(String path, Duration deadline) throws Exception {
        Instant giveUp = Instant.now().plus(deadline);
        while (true) {
            try {
                return get(path);
            } catch (IOException e) {
                if (Instant.now().isAfter(giveUp)) {
                    throw new AssertionError("no answer from " + path + " within " + deadline, e);
                }
                Thread.sleep(50);
            }
        }
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10));
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder;
    }

    private Answer send(HttpRequest.Builder builder) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.headers(), response.body());
    }
}
