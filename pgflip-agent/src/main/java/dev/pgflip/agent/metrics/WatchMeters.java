package dev.pgflip.agent.metrics;

import dev.pgflip.agent.digitalocean.ApiCallListener;
import dev.pgflip.agent.digitalocean.ApiOperation;
import dev.pgflip.agent.node.FenceState;
import dev.pgflip.agent.node.NodeRole;
import dev.pgflip.agent.node.FlipCheck;
import dev.pgflip.agent.node.SyncState;
import dev.pgflip.agent.node.WatchRecorder;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The meters of {@code pgflip watch}, fed by the watcher, the keeper, the fence and the API client through
 * {@link WatchRecorder} and {@link ApiCallListener}. Everything but the API timers is registered at construction, so
 * a dashboard sees every series from the first scrape; the API timers appear with the first request (their status
 * is only known then), which the watch makes at start on every node.
 *
 * <p>States are kept in volatile fields the gauges read at scrape time: each is written by one thread at a time (the
 * watcher, the keeper, or the fence under its lock), and a scrape sees the last value written, never a torn one.
 */
public final class WatchMeters implements WatchRecorder, ApiCallListener {
    public static final String ROLE = "pgflip.watch.role";
    public static final String FLIP_HELD = "pgflip.watch.flip.held";
    public static final String FLIP_CORRECT = "pgflip.watch.flip.correct";
    public static final String FENCED = "pgflip.watch.fenced";
    public static final String SYNC_STATE = "pgflip.watch.sync.state";
    public static final String RECONCILE_AGE = "pgflip.watch.reconcile.age";
    public static final String API_REQUESTS = "pgflip.watch.api.requests";
    public static final String PROMOTIONS = "pgflip.watch.promotions";
    public static final String POSSIBLE_DATA_LOSS = "pgflip.watch.possible.data.loss.events";
    public static final String REPMGRD_RUNNING = "pgflip.watch.repmgrd.running";
    public static final String REPMGRD_UPSTREAM_LAST_SEEN = "pgflip.watch.repmgrd.upstream.last.seen";
    public static final String REPMGRD_UNBLOCKS = "pgflip.watch.repmgrd.unblocks";
    public static final String REPMGRD_WAKES = "pgflip.watch.repmgrd.wakes";
    private static final String UNBLOCKS_DESCRIPTION = "On a standby, repmgrd connections whose request a peer left"
            + " unanswered while repmgrd did not loop: ended under it (ss -K), or refused (no CAP_NET_ADMIN, or a kernel"
            + " without CONFIG_INET_DIAG_DESTROY)";
    private static final String WAKES_DESCRIPTION = "On a standby that lost its primary (its WAL stream ended, or the"
            + " primary's node fell silent), repmgrd sent SIGHUP so that it checks its upstream at once, or not sent (a"
            + " stale PID, kill failed)";

    /**
     * The latency buckets of the API timers: DigitalOcean usually answers in 0.1-0.5 s; one request is bounded by
     * digitalocean.request_timeout (15 s by default). Fixed buckets keep the series per timer bounded (a percentile
     * histogram would add about 70).
     */
    private static final Duration[] API_BUCKETS = {
        Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
        Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10),
        Duration.ofSeconds(15), Duration.ofSeconds(30)};

    private final MeterRegistry registry;
    private final LongSupplier nanoClock;
    private final Counter promotions;
    private final Counter possibleDataLoss;
    private final Counter unblocksEnded;
    private final Counter unblocksRefused;
    private final Counter wakesSent;
    private final Counter wakesRefused;

    private volatile NodeRole role;
    private volatile double flipHeld = Double.NaN;
    private volatile double flipCorrect = Double.NaN;
    private volatile Optional<FenceState.Kind> fence = Optional.empty();
    private volatile SyncState sync = SyncState.NONE;
    private volatile long lastLookNanos;
    private volatile double repmgrdRunning = Double.NaN;
    private volatile double upstreamLastSeenSeconds = Double.NaN;

    /** @param nanoClock {@link System#nanoTime()} in production; the age of the last look is measured on it */
    public WatchMeters(MeterRegistry registry, LongSupplier nanoClock) {
        this.registry = registry;
        this.nanoClock = nanoClock;
        this.lastLookNanos = nanoClock.getAsLong();
        for (NodeRole r : NodeRole.values()) {
            Gauge.builder(ROLE, this, m -> m.role == r ? 1 : 0).tag("role", tag(r)).strongReference(true)
                    .description("1 for the role the local PostgreSQL answered at the watcher's last look, 0 for the"
                            + " others (unreachable: no answer)")
                    .register(registry);
        }
        Gauge.builder(FLIP_HELD, this, m -> m.flipHeld).strongReference(true)
                .description("1 when this primary's last reconcile found the floating IP on this node (or moved it"
                        + " here), 0 when on another node or none; NaN on a non-primary (only a primary asks the API)"
                        + " or when it did not look (withheld, refused, fenced, API error)")
                .register(registry);
        Gauge.builder(FLIP_CORRECT, this, m -> m.flipCorrect).strongReference(true)
                .description("1 when this primary's last reconcile left the floating IP on it, 0 when it did not"
                        + " (on another node or none, withheld, refused, fenced, API error); NaN on a non-primary")
                .register(registry);
        for (FenceState.Kind kind : FenceState.Kind.values()) {
            Gauge.builder(FENCED, this, m -> m.fence.equals(Optional.of(kind)) ? 1 : 0).tag("reason", tag(kind))
                    .strongReference(true)
                    .description("1 while this node is fenced for this reason (isolated: cut off from every peer;"
                            + " outranked: another primary, until pgflip rejoin), else 0")
                    .register(registry);
        }
        for (SyncState s : SyncState.values()) {
            Gauge.builder(SYNC_STATE, this, m -> m.sync == s ? 1 : 0).tag("state", tag(s)).strongReference(true)
                    .description("1 for the synchronous replication in force, as the keeper last read or set it"
                            + " (sync: commits wait for a standby; async: degraded; none: not a primary, or no"
                            + " replication section)")
                    .register(registry);
        }
        TimeGauge.builder(RECONCILE_AGE, this, TimeUnit.NANOSECONDS, m -> m.nanoClock.getAsLong() - m.lastLookNanos)
                .strongReference(true)
                .description("Time since the watcher last looked at the local role (every --interval; a primary's"
                        + " reconcile with the API is part of that look): grows while the watch loop is stuck")
                .register(registry);
        Gauge.builder(REPMGRD_RUNNING, this, m -> m.repmgrdRunning).strongReference(true)
                .description("On a standby, 1 while its repmgrd runs (repmgr.repmgrd_is_running()), 0 when it does not:"
                        + " no failover decision comes from this node; NaN on a primary")
                .register(registry);
        TimeGauge.builder(REPMGRD_UPSTREAM_LAST_SEEN, this, TimeUnit.SECONDS, m -> m.upstreamLastSeenSeconds)
                .strongReference(true)
                .description("On a standby, the time since its repmgrd last found its upstream answering"
                        + " (repmgr.get_upstream_last_seen()): it grows while repmgrd waits in an election or has"
                        + " exited; NaN on a primary and before repmgrd first looked")
                .register(registry);
        promotions = Counter.builder(PROMOTIONS).baseUnit("promotions")
                .description("Times this node was seen turning from standby into primary")
                .register(registry);
        possibleDataLoss = Counter.builder(POSSIBLE_DATA_LOSS).baseUnit("events")
                .description("Promotions of this node although the witness held it ineligible: the old primary"
                        + " acknowledged commits alone that this node never received")
                .register(registry);
        unblocksEnded = byResult(registry, REPMGRD_UNBLOCKS, UNBLOCKS_DESCRIPTION, "ended");
        unblocksRefused = byResult(registry, REPMGRD_UNBLOCKS, UNBLOCKS_DESCRIPTION, "refused");
        wakesSent = byResult(registry, REPMGRD_WAKES, WAKES_DESCRIPTION, "sent");
        wakesRefused = byResult(registry, REPMGRD_WAKES, WAKES_DESCRIPTION, "refused");
    }

    @Override
    public void roleSeen(NodeRole role) {
        this.role = role;
        this.lastLookNanos = nanoClock.getAsLong();
        if (role != NodeRole.PRIMARY) {
            // Only a primary asks the API: what it last found no longer says anything.
            flipHeld = Double.NaN;
            flipCorrect = Double.NaN;
        }
    }

    @Override
    public void promoted() {
        promotions.increment();
    }

    @Override
    public void flipChecked(FlipCheck check) {
        flipHeld = switch (check) {
            case HELD -> 1;
            case ELSEWHERE -> 0;
            default -> Double.NaN;
        };
        flipCorrect = check.onThisNode() ? 1 : 0;
    }

    @Override
    public void fenceSeen(Optional<FenceState.Kind> fence) {
        this.fence = fence;
    }

    @Override
    public void syncSeen(SyncState state) {
        this.sync = state;
    }

    @Override
    public void possibleDataLoss() {
        possibleDataLoss.increment();
    }

    @Override
    public void standbyRepmgrdSeen(boolean running, int upstreamLastSeenSeconds) {
        this.repmgrdRunning = running ? 1 : 0;
        this.upstreamLastSeenSeconds = upstreamLastSeenSeconds < 0 ? Double.NaN : upstreamLastSeenSeconds;
    }

    /** One result of a counter by result; each registered at 0, so an alert on "refused" has a series before the first. */
    private static Counter byResult(MeterRegistry registry, String name, String description, String result) {
        return Counter.builder(name).tag("result", result).description(description).register(registry);
    }

    @Override
    public void repmgrdUnblocked(boolean ended) {
        (ended ? unblocksEnded : unblocksRefused).increment();
    }

    @Override
    public void repmgrdWoken(boolean sent) {
        (sent ? wakesSent : wakesRefused).increment();
    }

    @Override
    public void repmgrdNotJudged() {
        this.repmgrdRunning = Double.NaN;
        this.upstreamLastSeenSeconds = Double.NaN;
    }

    @Override
    public void completed(ApiOperation operation, OptionalInt status, Duration took) {
        Timer.builder(API_REQUESTS)
                .description("HTTP requests to the DigitalOcean API, each retry on its own, by operation, HTTP status"
                        + " (none: no answer) and outcome")
                .tag("operation", operation.tag())
                .tag("status", status.isPresent() ? Integer.toString(status.getAsInt()) : "none")
                .tag("outcome", outcome(status))
                .serviceLevelObjectives(API_BUCKETS)
                .register(registry)
                .record(took);
    }

    /** Micrometer's HTTP outcome names; {@code unknown} when no answer came. */
    static String outcome(OptionalInt status) {
        if (status.isEmpty()) {
            return "unknown";
        }
        return switch (status.getAsInt() / 100) {
            case 1 -> "informational";
            case 2 -> "success";
            case 3 -> "redirection";
            case 4 -> "client_error";
            case 5 -> "server_error";
            default -> "unknown";
        };
    }

    private static String tag(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
