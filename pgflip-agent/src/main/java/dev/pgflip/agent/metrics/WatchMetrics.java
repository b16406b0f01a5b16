package dev.pgflip.agent.metrics;

import dev.pgflip.agent.ExitCode;
import dev.pgflip.agent.PgflipException;
import dev.pgflip.agent.config.MetricsConfig;
import dev.pgflip.agent.digitalocean.ApiCallListener;
import dev.pgflip.agent.node.WatchRecorder;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * The metrics of {@code pgflip watch} when the config has a {@code metrics} section: the meters, then the endpoint
 * that serves them, stopped with the watch. Without the section, {@link #OFF}: no-op recorders, no server, no port.
 * The meters exist before the endpoint so the API client can be built with them before anything needs closing.
 *
 * <pre>{@code
 * WatchMetrics metrics = WatchMetrics.of(cfg.metrics(), System::nanoTime);
 * FlipProvider provider = FlipProviders.create(cfg, self, env, metrics.apiCalls());
 * try (WatchMetrics served = metrics.serve()) {
 *     new FlipWatcher(..., metrics.recorder());
 * }
 * }</pre>
 */
public final class WatchMetrics implements AutoCloseable {
    public static final WatchMetrics OFF = new WatchMetrics(Optional.empty(), Optional.empty(), System::nanoTime);

    private final Optional<MetricsConfig> config;
    private final Optional<PrometheusMeterRegistry> registry;
    private final Optional<WatchMeters> meters;
    private final AtomicReference<MetricsEndpoint> endpoint = new AtomicReference<>();

    private WatchMetrics(Optional<MetricsConfig> config, Optional<PrometheusMeterRegistry> registry,
            LongSupplier nanoClock) {
        this.config = config;
        this.registry = registry;
        this.meters = registry.map(r -> new WatchMeters(r, nanoClock));
    }

    /** The meters, registered now; nothing listens until {@link #serve()}. */
    public static WatchMetrics of(Optional<MetricsConfig> config, LongSupplier nanoClock) {
        if (config.isEmpty()) {
            return OFF;
        }
        return new WatchMetrics(config, Optional.of(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)), nanoClock);
    }

    /**
     * Starts listening on {@code metrics.listen} (once; nothing when off).
     *
     * @return this, to be closed with the watch
     * @throws PgflipException (usage) when the address cannot be bound, e.g. its port is in use
     */
    public WatchMetrics serve() {
        if (config.isEmpty() || endpoint.get() != null) {
            return this;
        }
        try {
            endpoint.set(MetricsEndpoint.start(config.get().listen(), registry.orElseThrow()));
        } catch (IOException e) {
            throw new PgflipException(ExitCode.USAGE, "metrics.listen " + config.get().describe()
                    + ": cannot serve the metrics there (" + e.getMessage() + "): give a free port on an address of"
                    + " this host, or leave out the metrics section", e);
        }
        return this;
    }

    public WatchRecorder recorder() {
        return meters.<WatchRecorder>map(m -> m).orElse(WatchRecorder.NONE);
    }

    public ApiCallListener apiCalls() {
        return meters.<ApiCallListener>map(m -> m).orElse(ApiCallListener.NONE);
    }

    /** Where the metrics are served, e.g. {@code http://127.0.0.1:9187/metrics}; empty when not serving. */
    public Optional<String> url() {
        return Optional.ofNullable(endpoint.get())
                .map(e -> "http://" + MetricsConfig.hostPort(e.address()) + MetricsEndpoint.PATH);
    }

    /** Stops the endpoint (the meters stay: a closed watch is not scraped). */
    @Override
    public void close() {
        MetricsEndpoint served = endpoint.getAndSet(null);
        if (served != null) {
            served.close();
        }
    }
}
