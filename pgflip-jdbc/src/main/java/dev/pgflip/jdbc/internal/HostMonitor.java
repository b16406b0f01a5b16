package dev.pgflip.jdbc.internal;

import dev.pgflip.common.StaggeredConnect;
import dev.pgflip.jdbc.ClusterConfig;
import dev.pgflip.jdbc.HostSpec;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.postgresql.Driver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Probes one host on its own named daemon thread and its own connection, and feeds the answers to the host's
 * {@link HostTracker}. While the host is usable it probes every {@code probeInterval}; after a failed probe that did
 * not yet make it DOWN, 20 ms later (to confirm or clear it quickly); otherwise every 20 ms, first
 * with bare TCP connects for up to 250 ms, a new one every 20 ms (pgjdbc's connectTimeout counts whole seconds, and
 * a SYN sent to a moved floating IP is simply never answered), so the moment the new primary answers is seen within
 * ~20 ms. While the writer is down (see {@code urgent}), a reader that last answered in recovery is asked with a query
 * that waits on the server until it leaves recovery (see {@link #PROMOTION_WAIT}), so its promotion is seen within a few
 * milliseconds rather than at the next probe.
 */
public final class HostMonitor implements AutoCloseable, PromotionWatch.Wakeable {
    private static final Logger log = LoggerFactory.getLogger(HostMonitor.class);
    static final Duration FAST_INTERVAL = Duration.ofMillis(20);
    static final int TCP_CHECK_TIMEOUT_MS = 250;
    /**
     * The longest one promotion-waiting probe waits on the server, looking every {@link #PROMOTION_STEP_MS} ms. Measured
     * before it (pair-partition drill with pgflip-jdbc's DEBUG log, 2026-12-07): the standby left recovery at
     * 10:26:20.489, its monitor's 20 ms cadence saw it at .540 and the first write landed at .575, 78 ms after the
     * promote hook saw the node writable. Held only while the writer is down: on a standby that still replays, a query
     * holding its snapshot this long could delay the replay of a conflicting cleanup record by as much.
     */
    static final Duration PROMOTION_WAIT = Duration.ofMillis(200);
    public static final int PROMOTION_STEP_MS = 5;
    /** Whether new transactions are read-only, as this query's own transaction is. */
    private static final String READ_ONLY_NOW = "current_setting('transaction_read_only')::bool";
    /**
     * Whether a transaction begun now would be read-only (how PostgreSQL decides it at BEGIN): the waiting query's own
     * transaction began in recovery and stays read-only to its end, so its {@link #READ_ONLY_NOW} said READ_ONLY for a
     * node just promoted (2026-12-07 kill drill: one more probe, 18 ms, before it was PRIMARY).
     */
    private static final String READ_ONLY_NEXT =
            "(pg_is_in_recovery() OR current_setting('default_transaction_read_only')::bool)";
    private static final String HEALTH_QUERY = healthQuery(READ_ONLY_NOW, false);
    /** The same, with the cluster's identity, still one round trip: a new one restarts the timeline mark. */
    private static final String HEALTH_QUERY_WITH_SYSTEM = healthQuery(READ_ONLY_NOW, true);

    private final HostTracker tracker;
    private final ClusterConfig config;
    private final Runnable reachableAgain;
    private final BooleanSupplier urgent;
    private final Thread thread;
    private final Semaphore wake = new Semaphore(0);
    private final CountDownLatch firstProbe = new CountDownLatch(1);
    private volatile boolean closed;
    private Connection probe;
    private boolean reachableSignalled;
    /** Off (HEALTH_QUERY) if the user may not call pg_control_system() (EXECUTE can be revoked from PUBLIC). */
    private boolean withSystem = true;
    /** The waiting health query without and with the identity, bounded for this data source's probe timeout. */
    private final String waitingQuery;
    private final String waitingQueryWithSystem;
    /** Off for good once the server refused the waiting query (a statement_timeout below the wait, say). */
    private boolean promotionWaitAllowed = true;
    /** Whether the last probe was answered by the query that waits for a promotion. */
    private boolean waitedOnServer;

    /**
     * @param threadName the name of the monitor's thread, e.g. {@code pgflip-orders-writer:monitor 198.18.0.100:5432}
     * @param reachableAgain runs (on this thread) when an unusable host first accepts TCP again
     * @param urgent while true the host is probed without pause even when usable (with the waiting query while it
     *     answers in recovery, otherwise every 20 ms): a reader is watched this closely while the writer is down, so the
     *     moment it is promoted is seen at once (one query on the kept connection each)
     */
    public HostMonitor(HostTracker tracker, ClusterConfig config, String threadName, Runnable reachableAgain,
                       BooleanSupplier urgent) {
        this.tracker = tracker;
        this.config = config;
        this.reachableAgain = reachableAgain;
        this.urgent = urgent;
        Duration promotionWait = promotionWaitWithin(config.probeTimeout());
        this.waitingQuery = waitingHealthQuery(false, promotionWait);
        this.waitingQueryWithSystem = waitingHealthQuery(true, promotionWait);
        this.thread = new Thread(this::run, threadName);
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    /** Waits at most {@code timeout} for the first probe to finish. */
    public void awaitFirstProbe(Duration timeout) throws InterruptedException {
        firstProbe.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Probe now instead of at the next interval: a caller just saw this host fail, or the writer went down. */
    @Override
    public void wake() {
        if (wake.availablePermits() == 0) {
            wake.release();
        }
    }

    private void run() {
        while (!closed) {
            waitedOnServer = false;
            probeOnce(waitsForPromotion());
            firstProbe.countDown();
            // A probe that waited on the server was the pause; one that failed or fell back is paced as any other.
            long pause = waitedOnServer ? 0
                    : tracker.usable() && !urgent.getAsBoolean() && !tracker.suspect()
                    ? config.probeInterval().toMillis() : FAST_INTERVAL.toMillis();
            try {
                if (wake.tryAcquire(pause, TimeUnit.MILLISECONDS)) {
                    wake.drainPermits();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        closeProbe();
    }

    /**
     * Whether the next probe waits on the server for a promotion: while urgent, on the kept connection, to a host whose
     * last answer was in recovery.
     */
    private boolean waitsForPromotion() {
        ProbeResult last = tracker.health().answer();
        return promotionWaitAllowed && probe != null && last != null && last.inRecovery() && !tracker.suspect()
                && urgent.getAsBoolean();
    }

    private void probeOnce(boolean waitForPromotion) {
        HostSpec host = tracker.host();
        try {
            if (probe == null) {
                tcpCheck(host, tracker.usable());
                boolean usable = tracker.usable();
                if (!usable && !reachableSignalled && tracker.health().state() != HostState.UNKNOWN) {
                    reachableSignalled = true;
                    reachableAgain.run();
                }
                probe = new Driver().connect(host.jdbcUrl(config.database()), PgjdbcProperties.forProbe(config));
                if (probe == null) {
                    throw new SQLException("pgjdbc refused the URL " + host.jdbcUrl(config.database()));
                }
                probe.setNetworkTimeout(Runnable::run, (int) config.probeTimeout().toMillis());
            }
            tracker.answered(waitForPromotion ? askWaiting() : ask());
        } catch (SQLException | IOException | RuntimeException e) {
            closeProbe();
            tracker.failed(ProbeFailure.of(e));
        }
        if (tracker.usable()) {
            reachableSignalled = false;
        }
    }

    private ProbeResult ask() throws SQLException {
        try {
            return ask(withSystem ? HEALTH_QUERY_WITH_SYSTEM : HEALTH_QUERY, withSystem);
        } catch (SQLException e) {
            if (!SqlStates.INSUFFICIENT_PRIVILEGE.equals(e.getSQLState()) || !withSystem) {
                throw e;
            }
            // Without the identity the probe still does its job; only a restored cluster's new timelines then need
            // ClusterDataSource.resetTimeline(). Failing every probe over it would make every host DOWN.
            log.warn("pgflip host={} user may not call pg_control_system() ({}): probing without system_identifier;"
                    + " after a restore or upgrade call ClusterDataSource.resetTimeline()", tracker.host(), e.getMessage());
            withSystem = false;
            return ask(HEALTH_QUERY, false);
        }
    }

    /**
     * The health query, asked once the host has left recovery or {@link #PROMOTION_WAIT} has passed. Refused (not a
     * connection failure), it is asked plainly; refused in a way that would repeat, it is not tried again.
     */
    private ProbeResult askWaiting() throws SQLException {
        try {
            ProbeResult answer = ask(withSystem ? waitingQueryWithSystem : waitingQuery, withSystem);
            waitedOnServer = true;
            return answer;
        } catch (SQLException e) {
            String state = e.getSQLState();
            if (state == null || state.startsWith(SqlStates.CONNECTION_EXCEPTION_CLASS) || probe.isClosed()) {
                throw e;
            }
            // A statement_timeout below the wait would cancel it every time. (A recovery conflict cancels it with
            // 40001, once; a revoked pg_control_system() is the plain query's fallback.)
            if (SqlStates.QUERY_CANCELED.equals(state)) {
                promotionWaitAllowed = false;
                log.warn("pgflip host={} refused the probe that waits for a promotion ({}): probing every {} ms"
                        + " instead while the writer is down", tracker.host(), e.getMessage(), FAST_INTERVAL.toMillis());
            }
            return ask();
        }
    }

    /** One round trip: recovery, read-only ({@code readOnly}), replay lag, LSN, timeline and, if asked, the identity. */
    private static String healthQuery(String readOnly, boolean withSystem) {
        return "SELECT pg_is_in_recovery(), " + readOnly + ","
                + " CASE WHEN NOT pg_is_in_recovery() OR pg_last_wal_receive_lsn() IS NOT DISTINCT FROM"
                + " pg_last_wal_replay_lsn() THEN 0 ELSE COALESCE((extract(epoch FROM now()"
                + " - pg_last_xact_replay_timestamp()) * 1000)::bigint, 0) END,"
                + " " + WalPosition.LSN_SQL + ", " + WalPosition.TIMELINE_SQL
                + (withSystem ? ", (SELECT system_identifier FROM pg_control_system())" : "");
    }

    /**
     * The health query, answered once the server has left recovery or after {@code maxWait}: its FROM clause is a
     * recursive CTE that sleeps {@link #PROMOTION_STEP_MS} ms per row while {@code pg_is_in_recovery()} holds (the
     * sleep is correlated to the row, so it runs every step; an uncorrelated one would be planned as an InitPlan and run
     * once). The select list is evaluated after it, so it answers as of the end of the wait; its last column,
     * {@code looks}, says how many times it looked.
     */
    public static String waitingHealthQuery(boolean withSystem, Duration maxWait) {
        long steps = Math.max(1, maxWait.toMillis() / PROMOTION_STEP_MS);
        return healthQuery(READ_ONLY_NEXT, withSystem) + ", promotion_wait.looks"
                + " FROM (WITH RECURSIVE w(n, rec) AS (SELECT 0, pg_is_in_recovery() UNION ALL SELECT n + 1,"
                + " (SELECT pg_is_in_recovery() FROM pg_sleep(" + PROMOTION_STEP_MS / 1000.0 + " * (w.n >= 0)::int))"
                + " FROM w WHERE rec AND n < " + steps + ") SELECT count(*) AS looks FROM w) promotion_wait";
    }

    /** At most {@link #PROMOTION_WAIT}, and at most half the probe timeout, so the network timeout never cuts it. */
    static Duration promotionWaitWithin(Duration probeTimeout) {
        return Duration.ofMillis(Math.min(PROMOTION_WAIT.toMillis(), probeTimeout.toMillis() / 2));
    }

    private ProbeResult ask(String query, boolean withSystem) throws SQLException {
        try (Statement s = probe.createStatement(); ResultSet rs = s.executeQuery(query)) {
            rs.next();
            long system = withSystem ? rs.getLong(6) : ProbeResult.UNKNOWN_SYSTEM;
            return new ProbeResult(rs.getBoolean(1), rs.getBoolean(2), Duration.ofMillis(rs.getLong(3)),
                    rs.getString(4), rs.getLong(5), system);
        }
    }

    /**
     * A host still usable by its last answers (the re-probe of a suspect one) that refuses is DOWN now: the refusal
     * ends the check. An unusable one is waited for through the whole budget (its floating IP may be moving).
     */
    private static void tcpCheck(HostSpec host, boolean usable) throws IOException {
        StaggeredConnect.await(new InetSocketAddress(host.host(), host.port()), Duration.ofMillis(TCP_CHECK_TIMEOUT_MS),
                FAST_INTERVAL, usable ? StaggeredConnect.OnRefusal.FAIL : StaggeredConnect.OnRefusal.KEEP_TRYING);
    }

    private void closeProbe() {
        if (probe != null) {
            try {
                probe.abort(Runnable::run);
            } catch (SQLException ignored) {
                // The probe connection is being thrown away because it failed; nothing more to learn from it.
            }
            probe = null;
        }
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        wake();
        thread.join(config.probeTimeout().toMillis() + 3000);
    }
}
