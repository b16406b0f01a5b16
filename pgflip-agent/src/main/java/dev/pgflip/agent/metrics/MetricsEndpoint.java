package dev.pgflip.agent.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * {@code GET /metrics} in Prometheus' text format, on the JDK's own HTTP server: no web framework in the agent. Any
 * other path is 404, any other method 405.
 *
 * <p>One named daemon thread renders the scrapes; a few more wait in a short queue, and past that the server's
 * dispatcher renders them itself, which slows the next accept rather than queueing without bound (a scrape takes a
 * millisecond or two; Prometheus asks every 15-60 s).
 */
public final class MetricsEndpoint implements AutoCloseable {
    public static final String PATH = "/metrics";
    /** Prometheus' text exposition format, the one {@link PrometheusMeterRegistry#scrape()} writes. */
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final HttpServer server;
    private final ThreadPoolExecutor executor;

    private MetricsEndpoint(HttpServer server, ThreadPoolExecutor executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * Listens on {@code address} (port 0: any free port, see {@link #address()}).
     *
     * @throws IOException when the address cannot be bound (the port is in use, the address is not this host's)
     */
    public static MetricsEndpoint start(InetSocketAddress address, PrometheusMeterRegistry registry)
            throws IOException {
        HttpServer server = HttpServer.create(address, 0);
        ThreadPoolExecutor executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(4), r -> {
                    Thread t = new Thread(r, "pgflip-metrics-http");
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.CallerRunsPolicy());
        server.setExecutor(executor);
        server.createContext("/", exchange -> serve(exchange, registry));
        server.start();
        return new MetricsEndpoint(server, executor);
    }

    private static void serve(HttpExchange exchange, PrometheusMeterRegistry registry) throws IOException {
        try (exchange) {
            if (!PATH.equals(exchange.getRequestURI().getPath())) {
                reply(exchange, 404, "not found: the metrics are at " + PATH + "\n");
            } else if (!"GET".equals(exchange.getRequestMethod())) {
                exchange.getResponseHeaders().set("Allow", "GET");
                reply(exchange, 405, "method not allowed: GET " + PATH + "\n");
            } else {
                exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
                byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        }
    }

    private static void reply(HttpExchange exchange, int status, String text) throws IOException {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** The address listened on, with the port chosen when 0 was asked. */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    /** Stops listening at once (a scrape under way is cut short) and ends the thread. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
