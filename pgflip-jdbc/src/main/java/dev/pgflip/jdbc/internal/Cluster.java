package dev.pgflip.jdbc.internal;

import dev.pgflip.jdbc.ClusterConfig;
import dev.pgflip.jdbc.ClusterStatus;
import dev.pgflip.jdbc.HostSpec;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster behind a ClusterDataSource: wires a pool, tracker and monitor per host and role to the parts that decide
 * ({@link WriteRouter}, {@link ReadRouter}, {@link StateChangePolicy}) and those that act; owns their lifecycle.
 */
public final class Cluster implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Cluster.class);

    private final ClusterConfig config;
    private final PoolNames names;
    private final ClusterMetrics metrics;
    private final HostPools pools;
    private final TimelineHighWater timelines = new TimelineHighWater();
    private final DirectPools direct;
    private final PoolReactions reactions;
    private final HostMember writer;
    private final Map<HostSpec, HostMember> readers = new LinkedHashMap<>();
    /** The writer, then the readers in their configured order. */
    private final List<HostMember> members = new ArrayList<>();
    private final WriterRoutes writes;
    private final ReaderLending reads;
    private final AtomicBoolean closed = new AtomicBoolean();

    public Cluster(ClusterConfig config) {
        this(config, ClusterMetrics.create(config.meterRegistry()));
    }

    private Cluster(ClusterConfig config, ClusterMetrics metrics) {
        this(config, metrics, new HikariPoolFactory(config, metrics.poolTrackers()));
    }

    /** @param factory opens the connection pools (HikariCP's in production) */
    public Cluster(ClusterConfig config, PoolFactory factory) {
        this(config, ClusterMetrics.create(config.meterRegistry()), factory);
    }

    private Cluster(ClusterConfig config, ClusterMetrics metrics, PoolFactory factory) {
        this.config = config;
        this.names = PoolNames.of(config.name());
        this.metrics = metrics;
        this.pools = new HostPools(names, factory, metrics, config.jmx() ? PoolMBeans.platform() : PoolMBeans.NONE);
        WriteRouter writeRouter = new WriteRouter(config.directWrites());
        this.direct = new DirectPools(config.directWrites(), config.writer(), () -> writer().tracker().usable(),
                h -> pools.direct(h, names.direct(config.readers().indexOf(h) + 1)));
        this.reactions = new PoolReactions(metrics, direct, writeRouter, this::view,
                new InFlightHolds(timelines, config.retryDeadline()));
        HostMemberFactory wiring = new HostMemberFactory(config, pools, timelines, reactions, metrics,
                () -> writer() != null && !writer().tracker().usable());
        this.writer = wiring.create(config.writer(), Role.WRITER, names.writer());
        for (HostSpec h : config.readers()) {
            readers.put(h, wiring.create(h, Role.READER, names.reader(readers.size() + 1)));
        }
        members.add(writer);
        members.addAll(readers.values());
        if (config.directWrites()) {
            writer.tracker().addListener(PromotionWatch.over(readers.values()));
        }
        this.writes = new WriterRoutes(this, writer, writeRouter, direct, this::view,
                config.directWrites() && !readers.isEmpty(), config.maxPoolSize());
        this.reads = new ReaderLending(this, readers, new ReadRouter(config.readerSelection()), this::view);
        // A newer timeline: each tracker has already re-classified itself from its last answer (an old primary is
        // STALE_PRIMARY at once, its writes aborted); every monitor, the writer's included, also probes now rather
        // than a probe interval later, so the hosts' next answers confirm it.
        timelines.addListener(newest -> members.forEach(m -> m.monitor().wake()));
    }

    /** Starts the monitors and waits (bounded) for their first answers, so the first reads already route right. */
    public void start() throws InterruptedException {
        members.forEach(m -> m.monitor().start());
        for (HostMember m : members) {
            m.monitor().awaitFirstProbe(config.probeTimeout().plusSeconds(2));
        }
    }

    /** Every host as its tracker sees it now: what the routers decide on. */
    ClusterView view() {
        return ClusterView.of(writer, readers.values());
    }

    /** A caller saw {@code failure} on {@code pool} (a direct pool: its host's reader monitor is the one to wake). */
    public void reportFailure(HostPool pool, SQLException failure) {
        reactions.failed(pool, failure, (pool == writer.pool() ? writer : readers.get(pool.host())).monitor());
    }

    /** A writer connection, waiting (bounded by the deadline) for a route to one (see {@link WriterRoutes}). */
    public Lease borrowWriter(Deadline deadline) throws SQLException {
        ensureOpen();
        return WriterLending.lend(writes, deadline, writes::unavailable);
    }

    /** A reader connection: a healthy standby, else a primary in the read list, else the writer. */
    public Lease borrowReader(Deadline deadline) throws SQLException {
        ensureOpen();
        return reads.borrow(deadline);
    }

    /** A reader connection that holds {@code commit} (waiting for one until {@code waitBy}), else the writer. */
    public Lease borrowCaughtUpReader(WalPosition commit, Deadline waitBy, Deadline borrowBy) throws SQLException {
        return reads.caughtUp(commit, waitBy, borrowBy);
    }

    /** Fails at once after {@link #close()}: the pools are shut and no monitor will ever report a usable host. */
    public void ensureOpen() throws DataSourceClosedException {
        if (closed.get()) {
            throw new DataSourceClosedException(names.label() + " (write=" + config.writer() + ")");
        }
    }

    /** Restarts the timeline mark from the hosts answering as primaries now (see {@link TimelineHighWater#reset}). */
    public void resetTimeline() {
        timelines.reset(TimelineHighWater.newestAnswering(members.stream().map(m -> m.tracker().health()).toList()));
    }

    /** Every host's health as its monitor last saw it; takes no connection. */
    public ClusterStatus status() {
        return new ClusterStatus(writer.tracker().status(),
                readers.values().stream().map(m -> m.tracker().status()).toList());
    }

    public HostMember reader(HostSpec host) { return readers.get(host); }
    public HostMember writer() { return writer; }
    public ClusterMetrics metrics() { return metrics; }
    public PoolNames names() { return names; }
    public boolean isClosed() { return closed.get(); }

    /** Stops the monitors and closes every pool; from now on every borrow fails at once. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        log.info("pgflip closing: {} write={}", names.label(), config.writer());
        direct.close();
        members.forEach(HostMember::close);
        metrics.close();
        pools.close();
    }
}
