package dev.pgflip.agent.metrics;

import dev.pgflip.agent.ExitCode;
import dev.pgflip.agent.PgflipException;
import dev.pgflip.agent.config.MetricsConfig;
import dev.pgflip.agent.digitalocean.ApiCallListener;
import dev.pgflip.agent.watch.WatchRecorder;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * The metrics of {@code pgflip watch} when the config has a {@code metrics} section: the meters and the endpoint that
 * serves them, started together and stopped with the watch. Without the section, {@link #OFF}: no-op recorders, no
 * server, no port.
 *
 * <pre>{@code
 * try (WatchMetrics metrics = WatchMetrics.start(cfg.metrics(), System::nanoTime)) {
 *     FlipProviders.create(cfg, self, env, metrics.apiCalls());
 *     new FlipWatcher(..., metrics.recorder());
 * }
 * }</pre>
 */
public final class WatchMetrics implements AutoCloseable {
    public static final WatchMetrics OFF = new WatchMetrics(Optional.empty(), Optional.empty());

    private final Optional<WatchMeters> meters;
    private final Optional<MetricsEndpoint> endpoint;

    private WatchMetrics(Optional<WatchMeters> meters, Optional<MetricsEndpoint> endpoint) {
        this.meters = meters;
        this.endpoint = endpoint;
    }

    /** @throws PgflipException (usage) when {@code metrics.listen} cannot be bound, e.g. its port is in use */
    public static WatchMetrics start(Optional<MetricsConfig> config, LongSupplier nanoClock) {
        if (config.isEmpty()) {
            return OFF;
        }
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        WatchMeters meters = new WatchMeters(registry, nanoClock);
        try {
            return new WatchMetrics(Optional.of(meters),
                    Optional.of(MetricsEndpoint.start(config.get().listen(), registry)));
        } catch (IOException e) {
            registry.close();
            throw new PgflipException(ExitCode.USAGE, "metrics.listen " + config.get().describe()
                    + ": cannot serve the metrics there (" + e.getMessage() + "): give a free port on an address of"
                    + " this host, or leave out the metrics section", e);
        }
    }

    public WatchRecorder recorder() {
        return meters.<WatchRecorder>map(m -> m).orElse(WatchRecorder.NONE);
    }

    public ApiCallListener apiCalls() {
        return meters.<ApiCallListener>map(m -> m).orElse(ApiCallListener.NONE);
    }

    /** Where the metrics are served, e.g. {@code http://127.0.0.1:9187/metrics}; empty when off. */
    public Optional<String> url() {
        return endpoint.map(e -> "http://" + MetricsConfig.hostPort(e.address()) + MetricsEndpoint.PATH);
    }

    @Override
    public void close() {
        endpoint.ifPresent(MetricsEndpoint::close);
    }
}
