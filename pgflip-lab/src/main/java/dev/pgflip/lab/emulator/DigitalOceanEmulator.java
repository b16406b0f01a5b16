package dev.pgflip.lab.emulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local stand-in for the DigitalOcean API v2 (Floating/Reserved IPs, droplets, actions) and the droplet metadata
 * service, close enough that unmodified DigitalOcean clients work against it.
 *
 * <pre>{@code
 * try (DigitalOceanEmulator api = DigitalOceanEmulator.builder()
 *         .token("lab-token")
 *         .tls(ServerKeyStore.sslContext(keyStore, passwordFile))   // the API is HTTPS only
 *         .droplet(new EmulatedDroplet(1001, "pg1", "10.77.0.11", "10.78.0.11"))
 *         .droplet(new EmulatedDroplet(1002, "pg2", "10.77.0.12", "10.78.0.12"))
 *         .flipMover(netnsMover)
 *         .build()) {
 *     URI api = api.baseUrl();           // DIGITALOCEAN_API_URL, https://127.0.0.1:PORT
 *     URI md = api.metadataUrl();        // digitalocean.metadata_url, http://127.0.0.1:PORT2/metadata/v1
 *     api.faults().failNext(429, 2);     // misbehave on demand
 * }
 * }</pre>
 *
 * Two listeners, as on the real cloud: the API at {@code baseUrl()/v2/…} and the emulator's own controls at
 * {@code baseUrl()/_emulator/…} over HTTPS only (both carry the bearer token), and the unauthenticated metadata
 * service over plain HTTP at {@link #metadataUrl()} (169.254.169.254 is plain HTTP on a droplet too). Tokens given
 * to {@link Builder#readOnlyToken(String)} read the API and get 403 {@code forbidden} on every write, as a read-only
 * DigitalOcean token does; the controls take the read-write token only.
 */
public final class DigitalOceanEmulator implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DigitalOceanEmulator.class);
    private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(2);

    private final EmulatorHttpServer server;
    private final EmulatorHttpServer metadataServer;
    private final FaultInjector faults;
    private final FloatingIpStore store;
    private final NamedThreads handlerThreadFactory = new NamedThreads("http");
    private final NamedThreads timerThreadFactory = new NamedThreads("timer");
    private final ExecutorService handlerThreads;
    private final ScheduledExecutorService timers;

    private DigitalOceanEmulator(EmulatorConfig config, FlipMover mover) throws IOException {
        ObjectMapper json = ApiViews.newMapper();
        timers = newTimers(timerThreadFactory);
        handlerThreads = Executors.newCachedThreadPool(handlerThreadFactory);
        server = new EmulatorHttpServer(config.bind(), Optional.of(config.tls()), handlerThreads, timers);
        metadataServer = new EmulatorHttpServer(config.metadataBind(), Optional.empty(), handlerThreads, timers);
        faults = new FaultInjector(server);
        store = new FloatingIpStore(config.droplets(), config.ipPool(), config.clock());

        ActionRunner runner = new ActionRunner(store, mover, config.actionDelay(), timers);
        ApiViews views = new ApiViews(store, UUID.randomUUID().toString(), UUID.randomUUID().toString(),
                config.clock().instant());
        ApiHandler api = new ApiHandler(config.accessTokens(), faults,
                new RateLimiter(config.perHour(), config.perMinute(), config.clock()),
                new FloatingIpEndpoints(store, runner, views, json, config.regions()),
                new DropletEndpoints(store, views, json),
                new ActionEndpoints(store, json, config.actionVisibilityDelay(), config.clock()),
                new AccountEndpoint(UUID.randomUUID().toString(), UUID.randomUUID().toString(), 5, json), json);
        Map<String, HttpHandler> contexts = Map.of(
                ApiHandler.PREFIX, api,
                AdminHandler.PREFIX, new AdminHandler(config.token(), faults, store::actions, runner, json));
        try {
            server.start(contexts);
            metadataServer.start(Map.of(MetadataHandler.PREFIX, new MetadataHandler(store, json)));
        } catch (IOException | RuntimeException e) {
            server.close();
            shutdownThreads();
            throw e;
        }
        log.info("DigitalOcean emulator listening at {}, metadata at {} ({})", baseUrl(), metadataUrl(), config);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** {@code https://host:port}; a wildcard bind is reported as loopback, which is always reachable locally. */
    public URI baseUrl() {
        return url(server);
    }

    /** {@code http://host:port/metadata/v1}, the droplet metadata service (plain HTTP, no token). */
    public URI metadataUrl() {
        return URI.create(url(metadataServer) + MetadataHandler.PREFIX + "v1");
    }

    private static URI url(EmulatorHttpServer listener) {
        InetSocketAddress address = listener.address();
        InetAddress host = address.getAddress();
        String hostText = host == null || host.isAnyLocalAddress() ? "127.0.0.1" : host.getHostAddress();
        if (hostText.contains(":")) {
            hostText = "[" + hostText + "]";
        }
        return URI.create(listener.scheme() + "://" + hostText + ":" + address.getPort());
    }

    /** Faults to inject into the API; the same as {@code /_emulator/faults}. */
    public FaultInjector faults() {
        return faults;
    }

    /** Every action so far, oldest first, as immutable snapshots. */
    public List<ActionRecord> actions() {
        return store.actions();
    }

    /** Stops the server, cancels pending actions (they stay in-progress) and ends every emulator thread. */
    @Override
    public void close() {
        server.close();
        metadataServer.close();
        shutdownThreads();
        log.info("DigitalOcean emulator at {} closed", baseUrl());
    }

    private void shutdownThreads() {
        timers.shutdownNow();
        handlerThreads.shutdownNow();
        try {
            timers.awaitTermination(SHUTDOWN_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            handlerThreads.awaitTermination(SHUTDOWN_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            timerThreadFactory.awaitExit(SHUTDOWN_WAIT);
            handlerThreadFactory.awaitExit(SHUTDOWN_WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static ScheduledExecutorService newTimers(NamedThreads threads) {
        // Two threads so one slow FlipMover does not hold up every other action's completion.
        ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(2, threads);
        timers.setRemoveOnCancelPolicy(true);
        return timers;
    }

    /** Collects settings; {@link #build()} validates them all at once and starts the emulator. */
    public static final class Builder {
        private InetSocketAddress bind = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        private InetSocketAddress metadataBind = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        private SSLContext tls;
        private BearerToken token;
        private final List<BearerToken> readOnlyTokens = new ArrayList<>();
        private String region = "lab1";
        private Duration actionDelay = Duration.ofMillis(500);
        private final List<EmulatedDroplet> droplets = new ArrayList<>();
        private FlipMover flipMover = FlipMover.NONE;
        private int perHour = 5000;
        private int perMinute = 250;
        private Duration actionVisibilityDelay = Duration.ZERO;
        private String ipPool = "198.18.0.96/28";
        private Clock clock = Clock.systemUTC();

        private Builder() {}

        /** Where the API (HTTPS) listens; default 127.0.0.1 on a free port. */
        public Builder bind(InetSocketAddress bind) {
            this.bind = Objects.requireNonNull(bind, "bind");
            return this;
        }

        /** Where the metadata service (plain HTTP) listens; default 127.0.0.1 on a free port. */
        public Builder metadataBind(InetSocketAddress metadataBind) {
            this.metadataBind = Objects.requireNonNull(metadataBind, "metadataBind");
            return this;
        }

        /**
         * The server key and certificate of the API (required: the API is served over HTTPS only). The certificate
         * must name the address clients use, e.g. IP 198.18.0.1 for the lab, 127.0.0.1 in tests.
         */
        public Builder tls(SSLContext serverContext) {
            this.tls = Objects.requireNonNull(serverContext, "tls");
            return this;
        }

        /** The read-write bearer token (required). It is kept masked and never logged. */
        public Builder token(String token) {
            this.token = BearerToken.of(token);
            return this;
        }

        /** The same, for a token already read into its masking wrapper (e.g. by {@link EmulatorSettings}). */
        public Builder token(BearerToken token) {
            this.token = Objects.requireNonNull(token, "token");
            return this;
        }

        /**
         * Another accepted token, with read scope only: its GETs are answered as any token's, its POSTs, PUTs and
         * DELETEs get 403 {@code forbidden} "You do not have access for the attempted action.", as DigitalOcean answers
         * a read-only token. Kept masked; may be called more than once.
         */
        public Builder readOnlyToken(String token) {
            readOnlyTokens.add(BearerToken.of(token));
            return this;
        }

        /** The same, for a token already read into its masking wrapper (e.g. by {@link EmulatorSettings}). */
        public Builder readOnlyToken(BearerToken token) {
            readOnlyTokens.add(Objects.requireNonNull(token, "readOnlyToken"));
            return this;
        }

        /** Default region slug for droplets that name none and for the metadata service; default {@code lab1}. */
        public Builder region(String region) {
            this.region = region;
            return this;
        }

        /** How long an assign/unassign stays in-progress before the mover runs; default 500 ms. */
        public Builder actionDelay(Duration actionDelay) {
            this.actionDelay = Objects.requireNonNull(actionDelay, "actionDelay");
            return this;
        }

        public Builder droplet(EmulatedDroplet droplet) {
            droplets.add(Objects.requireNonNull(droplet, "droplet"));
            return this;
        }

        /** What really moves the address when an action completes; default {@link FlipMover#NONE}. */
        public Builder flipMover(FlipMover flipMover) {
            this.flipMover = Objects.requireNonNull(flipMover, "flipMover");
            return this;
        }

        /** Request budgets; default 5000 per hour and a burst of 250 per minute, as DigitalOcean. */
        public Builder rateLimit(int perHour, int perMinute) {
            this.perHour = perHour;
            this.perMinute = perMinute;
            return this;
        }

        /** How long {@code GET /v2/actions/{id}} answers 404 after an action is created; default 0. */
        public Builder actionVisibilityDelay(Duration delay) {
            this.actionVisibilityDelay = Objects.requireNonNull(delay, "actionVisibilityDelay");
            return this;
        }

        /** CIDR block inside 198.18.0.0/15 that created IPs come from; default {@code 198.18.0.96/28}. */
        public Builder ipPool(String cidr) {
            this.ipPool = Objects.requireNonNull(cidr, "ipPool");
            return this;
        }

        /** Source of timestamps and rate-limit windows; action delays always run on real time. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Validates every setting and starts the emulator.
         *
         * @throws IllegalArgumentException listing every invalid setting
         * @throws UncheckedIOException     when the address cannot be bound
         */
        public DigitalOceanEmulator build() {
            EmulatorConfig config = EmulatorConfig.validated(bind, metadataBind, tls, token, readOnlyTokens, region,
                    actionDelay, droplets, perHour, perMinute, actionVisibilityDelay, ipPool, clock);
            try {
                return new DigitalOceanEmulator(config, flipMover);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot listen on " + bind + ": " + e.getMessage(), e);
            }
        }

        @Override
        public String toString() {
            return "DigitalOceanEmulator.Builder[bind=" + bind + ", region=" + region + ", token="
                    + (token == null ? "unset" : token) + ", readOnlyTokens=" + readOnlyTokens.size() + "]";
        }
    }
}
