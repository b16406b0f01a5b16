package dev.pgflip.lab.drill;

import dev.pgflip.lab.EmulatorApi;
import dev.pgflip.lab.Lab;
import dev.pgflip.lab.LabException;
import dev.pgflip.lab.LabFaults;
import dev.pgflip.lab.LabNode;
import dev.pgflip.lab.LabRejoin;
import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every DigitalOcean API call answered late (8 s by default, the emulator's latency fault) from right before a kill
 * -9 of the primary: the agent must still move the FLIP, the promote hook still exit 0, and the new primary's
 * synchronous replication keeper must degrade at the promotion and restore once a standby streams again, on its own
 * schedule and not behind an API call. So that the restore happens while the API is slow, the old primary is rejoined
 * inside the run as soon as the FLIP answers from the new primary ({@code pgflip rejoin} finds the primary through the
 * FLIP); then the latency is cleared.
 *
 * <p>The hook's exit status is read from repmgrd's own events: {@code repmgrd_promote_error} when promote_command
 * exited non-zero (its failover state becomes PROMOTION_FAILED), {@code repmgrd_failover_promote} when it exited 0 —
 * but repmgr 5.3 records that one also when it later finds the node promoted anyway ("promotion command failed but
 * promotion completed successfully", seen here), so only the error's absence proves exit 0; {@code primary_register}
 * is written by {@code repmgr primary register --force} inside the hook once pg_promote has made the node a primary,
 * and says only that the promotion itself worked.
 */
final class ApiSlowScenario implements FaultScenario {
    /** Each API call of the failover takes the latency: a create and a few polls, and their retries. */
    private static final long RECOVERY_TIMEOUT_MS = 75_000;
    private static final long SYNC_EVENT_WAIT_MS = 15_000;
    /**
     * The hook ran 23 s under the 8 s latency (its API calls, then it left the IP to pgflip watch); repmgrd records its
     * result right after, through the detached event hook (a JVM start at nice 10, seconds under load). Run 3 of
     * 2026-12-04 ended its wait at 30 s, before that event was written: the wait is now for whichever comes later,
     * 45 s after the fault or 15 s from now. It ends as soon as the event is there.
     */
    private static final long HOOK_RESULT_WAIT_MS = 45_000;
    private static final long EVENT_HOOK_WAIT_MS = 15_000;

    private final Lab lab;
    private final LabNode oldPrimary;
    private final List<LabNode> standbys;
    private final Duration latency;
    private final Map<Phase, Long> phases = new EnumMap<>(Phase.class);
    private long faultMs;
    private Integer delayedRequests;
    /** The standby the writes went to after the kill ({@link RunStage#promoted}); empty until then, or if none did. */
    private Optional<LabNode> promoted = Optional.empty();

    ApiSlowScenario(Lab lab, RunStart start, Duration latency) {
        this.lab = lab;
        this.oldPrimary = start.primary();
        this.standbys = start.standbys();
        this.latency = latency;
    }

    /**
     * The standbys carry the primary's {@code synchronous_standby_names}, as every node does after a rejoin (pg_rewind
     * copies the primary's postgresql.auto.conf): so the promotion leaves commits waiting until the keeper degrades,
     * and the degrade is measured. A standby cloned at {@code lab up} has none, and would measure nothing.
     *
     * <p>Every standby gets it, not only the one expected to be promoted: which one repmgr promotes (the most advanced
     * at the kill) is only known after it, and a standby ignores the setting until it is promoted, so giving it to all
     * of them changes nothing before and is right whichever wins. The latency needs no such choice: the emulator
     * slows every API call, whoever makes it.
     */
    @Override
    public void prepare() {
        String names;
        try (Connection p = lab.appSql().connect(oldPrimary.address(), "postgres", 2); Statement ps = p.createStatement();
             ResultSet rs = ps.executeQuery("SELECT current_setting('synchronous_standby_names')")) {
            rs.next();
            names = rs.getString(1);
        } catch (SQLException e) {
            throw new LabException("cannot read the synchronous_standby_names of " + oldPrimary.name() + ": "
                    + e.getMessage(), e);
        }
        standbys.forEach(standby -> giveSynchronousStandbyNames(standby, names));
    }

    private void giveSynchronousStandbyNames(LabNode standby, String names) {
        try (Connection s = lab.appSql().connect(standby.address(), "postgres", 2);
             Statement ss = s.createStatement()) {
            ss.execute("ALTER SYSTEM SET synchronous_standby_names = '" + names.replace("'", "''") + "'");
            ss.execute("SELECT pg_reload_conf()");
        } catch (SQLException e) {
            throw new LabException("cannot give " + standby.name() + " the synchronous_standby_names of "
                    + oldPrimary.name() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void inject(LabNode target) {
        faultMs = System.currentTimeMillis();
        try {
            lab.emulatorApi().delayRequests(latency);
        } catch (IOException e) {
            throw new LabException("cannot slow the DigitalOcean API down through the emulator's admin endpoint: "
                    + e.getMessage(), e);
        }
        new LabFaults(lab).inject(LabFaults.Fault.KILL, target);
    }

    @Override
    public long recoveryTimeoutMs() {
        return RECOVERY_TIMEOUT_MS;
    }

    @Override
    public void afterRecovery(RunStage stage) throws InterruptedException {
        promoted = stage.promoted();
        Optional<LabNode> newPrimary = stage.newPrimary();
        if (newPrimary.isEmpty()) {
            stage.step("the failover did not complete while the API was slow: %s is not rejoined inside the run"
                    + " (the restore of synchronous replication is not measured)", oldPrimary.name());
            return;
        }
        stage.step("rejoining %s while every API call still takes %d ms", oldPrimary.name(), latency.toMillis());
        try {
            new LabRejoin(lab, stage.progress()).run(oldPrimary);
        } catch (RuntimeException e) {
            stage.step("rejoin of %s failed, the restore is not measured: %s", oldPrimary.name(), e.getMessage());
            return;
        }
        phases.put(Phase.OLD_PRIMARY_STREAMING, System.currentTimeMillis());
        ClusterEvents.await(lab.layout().eventsLog(), "pgflip_watch_sync_enabled", newPrimary.get().name(), faultMs,
                System.currentTimeMillis() + SYNC_EVENT_WAIT_MS);
    }

    @Override
    public void endFault() {
        EmulatorApi api = lab.emulatorApi();
        try {
            delayedRequests = api.delayedRequests();
        } catch (IOException e) {
            throw new LabException("cannot ask the emulator how many API calls it delayed: " + e.getMessage(), e);
        }
        ApiErrorsScenario.clearFaults(api);
        phases.put(Phase.API_LATENCY_CLEARED, System.currentTimeMillis());
    }

    @Override
    public void afterLoad() throws InterruptedException {
        ClusterEvents.awaitAny(lab.layout().eventsLog(), List.of("repmgrd_failover_promote", "repmgrd_promote_error"),
                hookResultNodes(), faultMs, Math.max(System.currentTimeMillis() + EVENT_HOOK_WAIT_MS,
                        faultMs + HOOK_RESULT_WAIT_MS));
    }

    /**
     * Whose promote hook's result {@link #afterLoad} waits for: the standby the writes went to; when none took them in
     * time, any standby, since a late promotion is still judged (on the standby the events show promoted).
     */
    List<String> hookResultNodes() {
        return promoted.map(p -> List.of(p.name())).orElseGet(() -> standbys.stream().map(LabNode::name).toList());
    }

    @Override
    public ScenarioFigures figures(long faultMs, Long flipMovedMs) {
        return new ScenarioFigures(null, null, null, null, delayedRequests);
    }

    @Override
    public Map<Phase, Long> phases() {
        return Map.copyOf(phases);
    }

    @Override
    public void cleanUp() {
        ApiErrorsScenario.clearFaults(lab.emulatorApi());
    }
}
