package dev.pgflip.agent.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A tiny real HTTPS server on 127.0.0.1 (certificate from {@link TestCertificates}) answering scripted responses per
 * "METHOD /path". Each route's responses are served in order; the last one repeats. Unscripted routes answer 404
 * like the API. {@link #plainHttp()} serves plain HTTP instead, as the droplet metadata service does.
 */
public final class ScriptedApi implements AutoCloseable {
    public record Reply(int status, String body, Map<String, String> headers) {}

    public record Request(String method, String path, String authorization, String body) {}

    private final HttpServer server;
    private final String scheme;
    private final String host;
    private final Map<String, Deque<Reply>> routes = new ConcurrentHashMap<>();
    private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());

    /** HTTPS on 127.0.0.1, as the API. */
    public ScriptedApi() throws IOException {
        this(true, "127.0.0.1");
    }

    /** Plain HTTP, as the metadata service. */
    public static ScriptedApi plainHttp() throws IOException {
        return new ScriptedApi(false, "127.0.0.1");
    }

    /** HTTPS on another loopback address, which the certificate (issued for 127.0.0.1 only) does not name. */
    public static ScriptedApi httpsOn(String loopbackAddress) throws IOException {
        return new ScriptedApi(true, loopbackAddress);
    }

    private ScriptedApi(boolean tls, String address) throws IOException {
        InetSocketAddress loopback = new InetSocketAddress(InetAddress.getByName(address), 0);
        if (!loopback.getAddress().isLoopbackAddress()) {
            throw new IllegalArgumentException(address + " is not a loopback address");
        }
        this.host = address;
        if (tls) {
            HttpsServer https = HttpsServer.create(loopback, 0);
            https.setHttpsConfigurator(new HttpsConfigurator(TestCertificates.get().serverContext()));
            server = https;
        } else {
            server = HttpServer.create(loopback, 0);
        }
        scheme = tls ? "https" : "http";
        server.createContext("/", this::handle);
        server.start();
    }

    public URI url() {
        return URI.create(scheme + "://" + host + ":" + server.getAddress().getPort());
    }

    /** The CA that signed this server's certificate, for {@code digitalocean.ca_file}. */
    public static java.nio.file.Path caFile() {
        return TestCertificates.get().caFile();
    }

    /** A client's trust in exactly that CA. */
    public static dev.pgflip.agent.digitalocean.ApiTrust trust() {
        return dev.pgflip.agent.digitalocean.ApiTrust.onlyCaFile(caFile());
    }

    public ScriptedApi on(String methodAndPath, int status, String body) {
        return on(methodAndPath, status, body, Map.of());
    }

    public synchronized ScriptedApi on(String methodAndPath, int status, String body, Map<String, String> headers) {
        routes.computeIfAbsent(methodAndPath, k -> new ArrayDeque<>()).add(new Reply(status, body, headers));
        return this;
    }

    public List<Request> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    public long count(String methodAndPath) {
        return requests().stream().filter(r -> (r.method() + " " + r.path()).equals(methodAndPath)).count();
    }

    private void handle(HttpExchange ex) throws IOException {
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String path = ex.getRequestURI().getPath();
        requests.add(new Request(ex.getRequestMethod(), path, ex.getRequestHeaders().getFirst("Authorization"), body));
        Reply reply = next(ex.getRequestMethod() + " " + path);
        reply.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.getResponseHeaders().add("ratelimit-limit", "5000");
        ex.getResponseHeaders().add("ratelimit-remaining", "4999");
        ex.getResponseHeaders().add("ratelimit-reset", "1700000000");
        byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    private synchronized Reply next(String key) {
        Deque<Reply> q = routes.get(key);
        if (q == null || q.isEmpty()) {
            return new Reply(404, "{\"id\":\"not_found\",\"message\":\"The resource you were accessing could not be found.\"}", Map.of());
        }
        return q.size() > 1 ? q.poll() : q.peek();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    // ---- JSON snippets shaped like DO-API-NOTES.md ----

    public static String ip(String resourceKey, String ip, Long dropletId, boolean locked, String region) {
        String droplet = dropletId == null ? "null"
                : "{\"id\":" + dropletId + ",\"name\":\"n" + (dropletId % 10) + "\",\"status\":\"active\",\"region\":{\"slug\":\"" + region + "\"}}";
        return "{\"" + resourceKey + "\":{\"ip\":\"" + ip + "\",\"droplet\":" + droplet + ",\"region\":{\"slug\":\""
                + region + "\",\"name\":\"New York 3\",\"available\":true},\"locked\":" + locked + ",\"project_id\":\"p1\"}}";
    }

    public static String action(long id, String status) {
        String completed = "in-progress".equals(status) ? "null" : "\"2024-05-01T10:00:03Z\"";
        return "{\"action\":{\"id\":" + id + ",\"status\":\"" + status + "\",\"type\":\"assign_ip\","
                + "\"started_at\":\"2024-05-01T10:00:00Z\",\"completed_at\":" + completed + ","
                + "\"resource_id\":3323068516,\"resource_type\":\"floating_ip\",\"region_slug\":\"nyc3\"}}";
    }

    public static String error(String id, String message) {
        return "{\"id\":\"" + id + "\",\"message\":\"" + message + "\",\"request_id\":\"r-1\"}";
    }

    public static String droplet(long id, String region) {
        return "{\"droplet\":{\"id\":" + id + ",\"name\":\"n2\",\"status\":\"active\",\"region\":{\"slug\":\"" + region + "\"},"
                + "\"networks\":{\"v4\":[{\"ip_address\":\"10.0.0.2\",\"type\":\"private\"}]}}}";
    }
}
