package dev.pgflip.jdbc.internal;

import dev.pgflip.jdbc.ClusterConfig;
import dev.pgflip.jdbc.ClusterStatus;
import dev.pgflip.jdbc.HostSpec;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running cluster behind a ClusterDataSource: one pool, tracker and monitor per host and role, the reactions to
 * state changes, and the routing of a borrow to a host.
 */
public final class Cluster implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Cluster.class);
    private static final long SUSPECT_BORROW_MILLIS = 50;
    private static final long DIRECT_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    /**
     * The longest one wait for the writer lasts: close() signals no tracker, so a borrow that waits across it notices
     * within this instead of at its deadline (10 s by default). A wake-up 10 times a second costs nothing measurable.
     */
    private static final long CLOSE_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    /** One host in one role, with everything that watches and serves it. */
    public record Member(HostPool pool, HostTracker tracker, HostMonitor monitor) {}

    private final ClusterConfig config;
    private final PoolNames names;
    private final ClusterMetrics metrics;
    private final ExecutorService retiredPoolCloser;
    private final ExecutorService prewarmer;
    private final Member writer;
    private final Map<HostSpec, Member> readers = new LinkedHashMap<>();
    private final ReaderSelector selector;
    private final TimelineHighWater timelines = new TimelineHighWater();
    /** Writer pools on hosts of the read list, made while the write endpoint leads to no primary (directWrites). */
    private final Map<HostSpec, HostPool> direct = new ConcurrentHashMap<>();
    /** The host writes last went to directly, so the switch is logged once per failover, not per borrow. */
    private final AtomicReference<HostSpec> directTarget = new AtomicReference<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    public Cluster(ClusterConfig config) {
        this.config = config;
        this.names = PoolNames.of(config.name());
        this.metrics = ClusterMetrics.create(config.meterRegistry());
        this.retiredPoolCloser = Executors.newSingleThreadExecutor(r -> daemon(r, names.thread("retired-pool-closer")));
        this.prewarmer = Executors.newSingleThreadExecutor(r -> daemon(r, names.thread("pool-prewarmer")));
        this.selector = new ReaderSelector(config.readerSelection());
        this.writer = member(config.writer(), Role.WRITER, names.writer());
        for (HostSpec h : config.readers()) {
            readers.put(h, member(h, Role.READER, names.reader(readers.size() + 1)));
        }
        // A newer timeline: each tracker has already re-classified itself from its last answer (an old primary is
        // STALE_PRIMARY at once, its writes aborted); every monitor, the writer's included, also probes now rather
        // than a probe interval later, so the hosts' next answers confirm it.
        timelines.addListener(newest -> members().forEach(m -> m.monitor().wake()));
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private Member member(HostSpec host, Role role, String poolName) {
        HostPool pool = new HostPool(host, role, poolName, config, metrics, retiredPoolCloser, prewarmer);
        HostTracker tracker = new HostTracker(host, role, config.maxReplicaLag(), config.downAfterProbeFailures(),
                System::nanoTime, timelines);
        tracker.addListener((t, previous, current) -> react(pool, previous.state(), current));
        metrics.track(tracker);
        // While the writer is down a reader is watched closely: its promotion is where direct writes may go.
        java.util.function.BooleanSupplier urgent = role == Role.READER && config.directWrites()
                ? () -> writer != null && !writer.tracker().usable() : () -> false;
        HostMonitor monitor = new HostMonitor(tracker, config, PoolNames.monitor(poolName, host), pool::prewarm,
                urgent);
        return new Member(pool, tracker, monitor);
    }

    /** Starts the monitors and waits (bounded) for their first answers, so the first reads already route right. */
    public void start() throws InterruptedException {
        List<Member> all = members();
        all.forEach(m -> m.monitor().start());
        Duration bound = config.probeTimeout().plusSeconds(2);
        for (Member m : all) {
            m.monitor().awaitFirstProbe(bound);
        }
    }

    private List<Member> members() {
        List<Member> all = new ArrayList<>();
        all.add(writer);
        all.addAll(readers.values());
        return all;
    }

    /** What a state change means for the host's pool; runs where the change was made (see HostTracker.Listener). */
    private void react(HostPool pool, HostState previous, HostHealth current) {
        Role role = pool.role();
        boolean wasUsable = role == Role.WRITER ? previous.writable() : previous.readable();
        boolean isUsable = role == Role.WRITER ? current.state().writable() : current.state().readable();
        if (!isUsable) {
            pool.markDown();
        }
        if (wasUsable && !isUsable && current.state() != HostState.LAGGING) {
            pool.evictIdle();
            // Aborting is for a host that stopped answering: its callers would hang. A read-only server (STANDBY or
            // READ_ONLY behind the writer) answers at once with 25006, so its sessions fail on their own and are
            // closed when returned (soft eviction) instead of being cut mid-read.
            // A stale primary answers, and would take writes that its rejoin throws away: cut its sessions too.
            int aborted = current.state() == HostState.DOWN || current.state() == HostState.STALE_PRIMARY
                    ? pool.abortInFlight() : 0;
            log.warn("pgflip host={} role={} state={} evicted idle connections and aborted {} in flight", pool.host(),
                    role.label(), current.state(), aborted);
        } else if (isUsable && previous != HostState.UNKNOWN && !wasUsable) {
            pool.renewIfStale();
            if (role == Role.WRITER) {
                metrics.failover(pool.host());
            }
        }
        if (role == Role.WRITER && isUsable) {
            retireDirectPools();
        } else if (role == Role.WRITER && wasUsable) {
            warmDirectPools();
        } else if (role == Role.READER && !current.state().writable()) {
            HostPool directPool = direct.get(pool.host());
            if (directPool != null && previous.writable()) {
                directPool.evictIdle();
                if (current.state() == HostState.DOWN || current.state() == HostState.STALE_PRIMARY) {
                    directPool.abortInFlight();
                }
            }
        }
    }

    /**
     * The write endpoint stopped leading to a primary: open one connection to each standby of the read list now, while
     * repmgrd is still deciding, so the first direct write after a promotion finds it made. Measured in the kill drill
     * before this: the direct pool's first connection took 390 ms, made only once the promotion was seen.
     */
    private void warmDirectPools() {
        if (!config.directWrites() || closed.get()) {
            return;
        }
        for (Member m : readers.values()) {
            HostState state = m.tracker().health().state();
            if (state == HostState.STANDBY || state == HostState.LAGGING) {
                directPoolOn(m.pool().host()).warm(() -> { });
            }
        }
        if (writer.tracker().usable()) {
            retireDirectPools();
        }
    }

    /** The write endpoint leads to a primary again: writes go through it, the direct pools close in the background. */
    private void retireDirectPools() {
        HostSpec was = directTarget.getAndSet(null);
        if (was != null) {
            log.info("pgflip writes go through {} again (they went directly to {} meanwhile)", writer.pool().host(), was);
        }
        for (HostSpec host : List.copyOf(direct.keySet())) {
            HostPool pool = direct.remove(host);
            if (pool != null) {
                pool.closeWhenIdle(retiredPoolCloser);
            }
        }
    }

    /**
     * A host of the read list that may take writes while the write endpoint leads to no primary: one promoted since,
     * i.e. answering as a writable primary (its tracker reports that only on the newest timeline seen) on a newer
     * timeline than the endpoint last led to. The old primary's own address does not qualify: until its monitor
     * notices, it still looks writable when the endpoint has just gone down with it.
     */
    private Optional<HostSpec> directWriteHost() {
        if (!config.directWrites() || writer.tracker().usable()) {
            return Optional.empty();
        }
        long endpointTimeline = writer.tracker().primaryTimeline();
        return readers.values().stream()
                .filter(m -> m.tracker().writableNow() && m.tracker().primaryTimeline() > endpointTimeline)
                .map(m -> m.pool().host()).findFirst();
    }

    private HostPool directPool(HostSpec host) {
        HostSpec was = directTarget.getAndSet(host);
        if (!host.equals(was)) {
            log.warn("pgflip writes go directly to {}, the primary on the newest timeline, until {} leads to it",
                    host, writer.pool().host());
        }
        HostPool pool = directPoolOn(host);
        if (writer.tracker().usable()) {
            // The writer came back while this pool was being made: its retirement may have run before the pool was
            // in the map, and would otherwise not run again until the next failover. (The tracker is usable before it
            // tells react(), so one of the two retires it.)
            retireDirectPools();
        }
        return pool;
    }

    private HostPool directPoolOn(HostSpec host) {
        return direct.computeIfAbsent(host, h -> HostPool.direct(h, names.direct(config.readers().indexOf(h) + 1), config,
                metrics, retiredPoolCloser, prewarmer));
    }

    /** A caller saw {@code failure} on a connection of {@code pool}: drop its idle peers and re-probe now. */
    public void reportFailure(HostPool pool, SQLException failure) {
        if (FailureClassifier.evictsPool(FailureClassifier.classify(failure))) {
            pool.evictIdle();
            member(pool).monitor().wake();
        }
    }

    private Member member(HostPool pool) {
        // A direct writer pool shares its host's reader member: that host's monitor is the one to wake.
        return pool == writer.pool() ? writer : readers.get(pool.host());
    }

    /**
     * A writer connection, waiting (bounded by the deadline) for a writable primary behind the write endpoint, or,
     * with directWrites, for a host of the read list that became the primary while the endpoint has not caught up.
     * The host is checked again after the borrow (see {@link WriterLending}).
     */
    public Lease borrowWriter(Deadline deadline) throws SQLException {
        ensureOpen();
        return WriterLending.lend(this::writeRoute, deadline, last -> unavailable(deadline, last));
    }

    /** Fails at once after {@link #close()}: the pools are shut and no monitor will ever report a usable host. */
    public void ensureOpen() throws DataSourceClosedException {
        if (closed.get()) {
            throw new DataSourceClosedException(names.label() + " (write=" + config.writer() + ")");
        }
    }

    private WriterLending.Route<Lease> writeRoute(Deadline deadline) throws InterruptedException, SQLException {
        HostPool pool = writablePool(deadline);
        if (pool == null) {
            return null;
        }
        // A writer whose last probe failed (not DOWN yet: it takes two in a row) may be dead: a borrow there would wait
        // a whole slice (1 s) for a connection HikariCP cannot make. Measured in the kill drill: both writer threads
        // stuck 1010 and 1046 ms in it while the monitor confirmed the failure 270 ms later. Short borrows instead,
        // each followed by a fresh route decision.
        long maxWait = pool == writer.pool() && writer.tracker().suspect() ? SUSPECT_BORROW_MILLIS : Long.MAX_VALUE;
        return new PoolRoute(pool, () -> stillTakesWrites(pool), e -> reportFailure(pool, e), maxWait);
    }

    /** The re-check after a borrow: the same questions {@link #writablePool} asked before it. */
    private boolean stillTakesWrites(HostPool pool) {
        return pool == writer.pool() ? writer.tracker().writableNow()
                : directWriteHost().filter(pool.host()::equals).isPresent();
    }

    /** The pool to write through once there is one (null when the deadline passed first). */
    private HostPool writablePool(Deadline deadline) throws InterruptedException, SQLException {
        while (true) {
            ensureOpen();
            HostTracker endpoint = writer.tracker();
            if (endpoint.writableNow()) {
                return writer.pool();
            }
            if (endpoint.usable()) {
                // PRIMARY by its last classification but below the timeline mark: the thread that raised the mark is
                // re-classifying every host right now. Doing it here too (it is idempotent) makes the wait below
                // block on the stale state instead of spinning on it.
                endpoint.reclassify();
            }
            Optional<HostSpec> host = directWriteHost();
            if (host.isPresent()) {
                return directPool(host.get());
            }
            if (deadline.expired()) {
                return null;
            }
            // Short slices while direct writes may apply: a reader's promotion does not signal the writer's tracker;
            // nor does close(), hence the longer slices otherwise.
            long slice = Math.min(deadline.remainingNanos(), config.directWrites() && !readers.isEmpty()
                    ? DIRECT_CHECK_NANOS : CLOSE_CHECK_NANOS);
            endpoint.awaitUsable(slice);
        }
    }

    /** A reader connection: a healthy standby, else a primary in the read list, else the writer. */
    public Lease borrowReader(Deadline deadline) throws SQLException {
        ensureOpen();
        for (HostSpec host : readerOrder()) {
            Member m = readers.get(host);
            try {
                return m.pool().borrow(Math.min(250, Math.max(1, deadline.remainingMillis())));
            } catch (SQLException e) {
                reportFailure(m.pool(), e);
            }
        }
        return borrowWriter(deadline);
    }

    /** Readers in the order a read should try them (healthy standbys first); empty when none is usable. */
    public List<HostSpec> readerOrder() {
        List<ReaderSelector.Candidate> candidates = new ArrayList<>(readers.size());
        for (Member m : readers.values()) {
            candidates.add(new ReaderSelector.Candidate(m.pool().host(), m.tracker().health().state(), m.pool().busy()));
        }
        return selector.order(candidates);
    }

    /**
     * Restarts the timeline mark from the hosts answering as primaries now; every host is re-classified and re-probed
     * at once (the mark's listeners). See {@link TimelineHighWater#newestAnswering} for why this is safe with an old
     * primary still up.
     */
    public void resetTimeline() {
        timelines.reset(TimelineHighWater.newestAnswering(members().stream().map(m -> m.tracker().health()).toList()));
    }

    /** Every host's health as its monitor last saw it; takes no connection. */
    public ClusterStatus status() {
        return new ClusterStatus(writer.tracker().status(),
                readers.values().stream().map(m -> m.tracker().status()).toList());
    }

    public Member reader(HostSpec host) {
        return readers.get(host);
    }

    public Member writer() {
        return writer;
    }

    public ClusterMetrics metrics() {
        return metrics;
    }

    public PoolNames names() {
        return names;
    }

    private SQLTransientConnectionException unavailable(Deadline deadline, SQLException last) {
        HostHealth h = writer.tracker().health();
        return new SQLTransientConnectionException("pgflip: no writable primary at " + writer.pool().host()
                + " within the deadline; writer state=" + h.state() + readOnlyHint(h.state())
                + (h.lastFailure() == null ? "" : ", last probe failure: " + h.lastFailure()), "08001", last);
    }

    /** Why a server that answers still gets no writes: the case an operator most needs spelled out. */
    private static String readOnlyHint(HostState state) {
        return switch (state) {
            case STANDBY, LAGGING -> " (the write endpoint leads to a standby in recovery: a floating IP still on a"
                    + " demoted node? writes are refused until it leads to the primary)";
            case STALE_PRIMARY -> " (the write endpoint leads to an old primary on an older timeline than another"
                    + " node's: refused so no write lands on a node that is about to be rewound)";
            case READ_ONLY -> " (the server behind the write endpoint is not in recovery but read-only:"
                    + " default_transaction_read_only=on; writes are refused until it is writable)";
            default -> "";
        };
    }

    /** Stops the monitors and closes every pool; from now on every borrow fails at once. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        log.info("pgflip closing: {} write={}", names.label(), config.writer());
        direct.values().forEach(HostPool::close);
        for (Member m : members()) {
            try {
                m.monitor().close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            m.pool().close();
        }
        metrics.close();
        prewarmer.shutdownNow();
        retiredPoolCloser.shutdown();
        try {
            retiredPoolCloser.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public boolean isClosed() {
        return closed.get();
    }
}
