package dev.pgflip.lab.drill;

import dev.pgflip.lab.Deadline;
import dev.pgflip.lab.Lab;
import dev.pgflip.lab.LabException;
import dev.pgflip.lab.LabFaults;
import dev.pgflip.lab.LabNode;
import dev.pgflip.lab.Progress;
import dev.pgflip.lab.process.Pids;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A primary that freezes while each standby's repmgrd waits for its answer. repmgr 5.3 asks its kept connection to the
 * primary {@code pg_is_in_recovery()} with no timeout right after each successful check; a freeze landing in between
 * (a window of milliseconds each second, hit by 1 of 6 plain {@code freeze} runs on 2026-12-07) leaves repmgrd waiting
 * for as long as the freeze lasts, and left alone the primary is never replaced. Here the window is made certain: the
 * backends serving the standbys' repmgrd on the primary are stopped first (SIGSTOP: the primary's kernel still
 * acknowledges, as a frozen host's does), the run waits until every standby's repmgrd has not seen its upstream for
 * {@value #WAITING_S} s (it is inside that query), then the whole primary is frozen, as {@code freeze} does. pgflip
 * watch on a standby must end that connection (its {@code repmgrd_unblocked}) so repmgrd fails the primary over. The
 * fault's time is taken before the backends are stopped, 2-3 s before the freeze ({@link Phase#FROZEN_MID_QUERY});
 * the drill heals it as a freeze (SIGCONT to the postmaster and every child, the stopped backends included).
 */
final class FreezeMidQueryScenario implements FaultScenario {
    static final int WAITING_S = 2;
    private static final Duration WAITING_TIMEOUT = Duration.ofSeconds(15);
    private static final String REPMGRD_BACKENDS = "SELECT pid FROM pg_stat_activity WHERE application_name = 'repmgr'"
            + " AND backend_type = 'client backend' AND host(client_addr) = ANY (?)";

    private final Lab lab;
    private final Progress progress;
    private final List<LabNode> standbys;
    private final Map<Phase, Long> phases = new EnumMap<>(Phase.class);

    FreezeMidQueryScenario(Lab lab, Progress progress, RunStart start) {
        this.lab = lab;
        this.progress = progress;
        this.standbys = start.standbys();
    }

    @Override
    public void inject(LabNode primary) {
        List<Long> backends = repmgrdBackends(primary);
        backends.forEach(pid -> Pids.signal(lab.commands(), pid, "STOP"));
        long waitingSince = System.currentTimeMillis();
        try {
            awaitRepmgrdsWaiting(primary, backends);
        } catch (RuntimeException e) {
            backends.forEach(pid -> Pids.signal(lab.commands(), pid, "CONT"));
            throw e;
        }
        new LabFaults(lab).inject(LabFaults.Fault.FREEZE, primary);
        phases.put(Phase.FROZEN_MID_QUERY, System.currentTimeMillis());
        progress.step("%s's backends %s serving the standbys' repmgrd stopped; every standby's repmgrd waiting on them"
                + " after %d ms; then %s frozen", primary.name(), backends, phases.get(Phase.FROZEN_MID_QUERY)
                - waitingSince, primary.name());
    }

    /** One per standby: its repmgrd keeps a single connection to its primary (upstream and primary are one). */
    private List<Long> repmgrdBackends(LabNode primary) {
        List<Long> pids = new ArrayList<>();
        try (Connection c = lab.appSql().connect(primary.address(), "postgres", 2);
             PreparedStatement ps = c.prepareStatement(REPMGRD_BACKENDS)) {
            Array addresses = c.createArrayOf("text", standbys.stream().map(LabNode::address).toArray());
            ps.setArray(1, addresses);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    pids.add(rs.getLong(1));
                }
            }
        } catch (SQLException e) {
            throw new LabException("freeze-mid-query: cannot list the backends of " + primary.name() + ": "
                    + e.getMessage(), e);
        }
        if (pids.size() < standbys.size()) {
            throw new LabException("freeze-mid-query: " + primary.name() + " serves " + pids.size() + " repmgrd"
                    + " connection(s) from " + standbys.size() + " standby(s): a standby's repmgrd is not connected"
                    + " (see 'pgflip lab status' and its repmgrd log); the fault was not injected");
        }
        return List.copyOf(pids);
    }

    private void awaitRepmgrdsWaiting(LabNode primary, List<Long> backends) {
        Deadline deadline = Deadline.after(WAITING_TIMEOUT);
        List<LabNode> notWaiting;
        while (!(notWaiting = notWaitingYet()).isEmpty()) {
            if (deadline.expired()) {
                throw new LabException("freeze-mid-query: with " + primary.name() + "'s backends " + backends
                        + " stopped, the repmgrd of " + notWaiting.stream().map(LabNode::name).toList()
                        + " still saw its upstream after " + WAITING_TIMEOUT.toSeconds()
                        + " s; the freeze was not made");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LabException("interrupted while waiting for the standbys' repmgrd to wait on "
                        + primary.name(), e);
            }
        }
    }

    private List<LabNode> notWaitingYet() {
        return standbys.stream().filter(s -> upstreamLastSeen(s) < WAITING_S).toList();
    }

    private int upstreamLastSeen(LabNode standby) {
        try (Connection c = lab.appSql().connect(standby.address(), "repmgr", 2);
             var s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT repmgr.get_upstream_last_seen()")) {
            rs.next();
            return rs.getInt(1);
        } catch (SQLException e) {
            return -1;
        }
    }

    @Override
    public Map<Phase, Long> phases() {
        return Map.copyOf(phases);
    }
}
