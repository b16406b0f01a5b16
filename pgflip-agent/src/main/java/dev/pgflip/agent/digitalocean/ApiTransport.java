package dev.pgflip.agent.digitalocean;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.pgflip.agent.time.Deadline;
import dev.pgflip.agent.time.DeadlineExceededException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HTTPS exchange with the API: adds the bearer token, bounds the request by the deadline, turns error
 * statuses into {@link ApiException} (401 into {@link TokenRejectedException}, 403 into {@link TokenScopeException}),
 * a rejected server certificate into {@link CertificateRejectedException}, and remembers the rate limit. Only
 * {@code https} URLs are accepted: the token must never travel in clear.
 */
final class ApiTransport {
    private static final Logger log = LoggerFactory.getLogger(ApiTransport.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final URI apiUrl;
    private final ApiToken token;
    private final ApiTrust trust;
    private final Duration requestTimeout;
    private final AtomicReference<RateLimit> lastRateLimit = new AtomicReference<>();
    private final ApiCallListener listener;

    ApiTransport(URI apiUrl, ApiTrust trust, ApiToken token, Duration requestTimeout, ApiCallListener listener) {
        if (!"https".equalsIgnoreCase(apiUrl.getScheme())) {
            throw new IllegalArgumentException("the API URL must be https, got " + apiUrl
                    + ": the token must not travel in clear");
        }
        this.http = newHttpClient(requestTimeout, trust);
        this.apiUrl = apiUrl;
        this.token = token;
        this.trust = trust;
        this.requestTimeout = requestTimeout;
        this.listener = listener;
    }

    /** HTTP/1.1 as the API speaks it, no redirects (they could carry the token elsewhere), certificates per trust. */
    static HttpClient newHttpClient(Duration connectTimeout, ApiTrust trust) {
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER);
        if (trust.caFile().isPresent()) {
            builder.sslContext(trust.sslContext());
        }
        return builder.build();
    }

    Optional<RateLimit> lastRateLimit() {
        return Optional.ofNullable(lastRateLimit.get());
    }

    /**
     * Resolves {@code pathAndQuery} against the API URL. Absolute URLs (pagination links) are rebased onto it,
     * so the token is only ever sent to the configured host.
     */
    URI resolve(String pathAndQuery) {
        URI given = URI.create(pathAndQuery);
        String rel = given.getRawPath() + (given.getRawQuery() == null ? "" : "?" + given.getRawQuery());
        return URI.create(apiUrl.toString() + rel);
    }

    JsonNode get(ApiOperation operation, String path, Deadline deadline) throws IOException {
        return send(operation, "GET", path, null, deadline);
    }

    JsonNode post(ApiOperation operation, String path, JsonNode body, Deadline deadline) throws IOException {
        return send(operation, "POST", path, body, deadline);
    }

    private JsonNode send(ApiOperation operation, String method, String path, JsonNode body, Deadline deadline)
            throws IOException {
        Duration timeout = deadline.cap(requestTimeout);
        if (timeout.isZero()) {
            throw new DeadlineExceededException(method + " " + path + ": no time left before the deadline", null);
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(resolve(path))
                .timeout(timeout)
                .header("Authorization", token.bearerHeaderValue())
                .header("Accept", "application/json")
                .header("User-Agent", "pgflip-agent");
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
        }
        HttpResponse<byte[]> response;
        OptionalInt status = OptionalInt.empty();
        long started = System.nanoTime();
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            status = OptionalInt.of(response.statusCode());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeadlineExceededException(method + " " + path + " was interrupted", e);
        } catch (IOException e) {
            Optional<CertificateRejectedException> rejected = CertificateRejectedException.from(e, hostAndPort(), trust);
            if (rejected.isPresent()) {
                throw rejected.get();
            }
            // Name the host: "ConnectException" alone does not tell the operator which address to check.
            throw new IOException("no answer from " + hostAndPort() + " (" + RetryPolicy.describe(e) + ")", e);
        } finally {
            listener.completed(operation, status, Duration.ofNanos(System.nanoTime() - started));
        }
        RateLimit.from(response.headers()).ifPresent(this::noteRateLimit);
        log.debug("{} {} -> {}", method, path, response.statusCode());
        return interpret(method, path, response);
    }

    /** Host and port of the API, without any user info the URL might carry. */
    private String hostAndPort() {
        return apiUrl.getHost() + (apiUrl.getPort() == -1 ? "" : ":" + apiUrl.getPort());
    }

    private void noteRateLimit(RateLimit limit) {
        RateLimit before = lastRateLimit.getAndSet(limit);
        if (limit.remaining() * 10 < limit.limit() && (before == null || before.remaining() * 10 >= before.limit())) {
            log.warn("DigitalOcean rate limit low: {} of {} requests left until {}", limit.remaining(), limit.limit(), limit.reset());
        }
    }

    private JsonNode interpret(String method, String path, HttpResponse<byte[]> response) {
        int status = response.statusCode();
        JsonNode json = parse(response.body());
        if (status >= 200 && status < 300) {
            return json;
        }
        if (status == 401) {
            throw new TokenRejectedException(token.source());
        }
        String id = json.path("id").asText("http_" + status);
        String message = json.path("message").asText("HTTP " + status);
        Optional<Duration> retryAfter = response.headers().firstValue("retry-after").flatMap(ApiTransport::seconds);
        ApiError error = new ApiError(status, id, message, retryAfter);
        if (status == 403) {
            // Authenticated but not allowed: a read-only token's write, or a custom-scoped token missing a scope.
            throw new TokenScopeException(method, path, token.source(), error);
        }
        throw new ApiException(method + " " + path, error);
    }

    private static JsonNode parse(byte[] body) {
        if (body.length == 0) {
            return MissingNode.getInstance();
        }
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return MissingNode.getInstance();
        }
    }

    private static Optional<Duration> seconds(String header) {
        try {
            long s = Long.parseLong(header.trim());
            return s >= 0 ? Optional.of(Duration.ofSeconds(s)) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
