package dev.pgflip.lab.drill;

import dev.pgflip.lab.LabNode;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Split-brain detector: every 100 ms it tries a short write directly on every data node (their own addresses, not
 * the floating IP), from the application's side of the network, and records which nodes acknowledged it. A tick in
 * which two nodes acknowledged a write is 100 ms of "dual writable", the state in which two applications can commit
 * conflicting data. One thread per node, so a node that hangs delays only its own ticks; a tick a node missed
 * because its previous write was still hanging counts as not writable.
 *
 * <p>A write counts only when it was acknowledged without a warning: a commit held by synchronous replication that
 * {@code statement_timeout} cancels returns with the warning "canceling wait for synchronous replication" (committed
 * locally, never acknowledged as replicated), which no application waiting normally would have seen. Cancelling it
 * also keeps such waits from piling up one backend per tick.
 */
public final class WritableNodesProbe {
    public static final long TICK_MS = 100;
    /** Longer than any run (a failback run with three rejoins takes minutes, not hours). */
    private static final long MAX_WINDOW_MS = 6 * 3_600_000L;
    private static final String INSERT = "INSERT INTO drill_probe (node) VALUES (?)";

    private final long originMs;
    private final Map<String, TickLog> logs = new LinkedHashMap<>();
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Properties connection;

    public WritableNodesProbe(List<LabNode> dataNodes, String user, String password) {
        this.originMs = System.currentTimeMillis();
        this.connection = new Properties();
        connection.setProperty("user", user);
        connection.setProperty("password", password);
        // Bounded everywhere: a frozen node answers no startup packet, a cut-off one no SYN.
        connection.setProperty("connectTimeout", "1");
        connection.setProperty("loginTimeout", "2");
        connection.setProperty("socketTimeout", "2");
        connection.setProperty("options", "-c statement_timeout=1000");
        connection.setProperty("ApplicationName", "pgflip-drill-writable-probe");
        for (LabNode node : dataNodes) {
            TickLog log = new TickLog();
            logs.put(node.name(), log);
            threads.add(ClientLoad.daemon(() -> loop(node, log), "drill-writable-probe-" + node.name()));
        }
    }

    /** The drill_probe table must exist (created through the floating IP, replicated to the standby). */
    public static String createTable() {
        return "CREATE TABLE IF NOT EXISTS drill_probe (node text NOT NULL,"
                + " at timestamptz NOT NULL DEFAULT clock_timestamp()); TRUNCATE drill_probe";
    }

    public void start() {
        threads.forEach(Thread::start);
    }

    public void stop() {
        running.set(false);
        for (Thread t : threads) {
            t.interrupt();
            try {
                t.join(3_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void loop(LabNode node, TickLog log) {
        Connection c = null;
        long tick = 0;
        while (running.get()) {
            long wait = originMs + tick * TICK_MS - System.currentTimeMillis();
            if (wait > 0 && !sleep(wait)) {
                break;
            }
            try {
                if (c == null) {
                    c = DriverManager.getConnection("jdbc:postgresql://" + node.address() + ":5432/postgres", connection);
                }
                if (acknowledged(c, node.name())) {
                    log.accepted(tick);
                }
            } catch (SQLException e) {
                // A standby answers 25006 (read only) and keeps the connection; anything else may have broken it.
                if (!"25006".equals(e.getSQLState())) {
                    close(c);
                    c = null;
                }
            }
            // The next tick that has not started yet: ticks missed while a write hung stay "not writable".
            tick = Math.max(tick + 1, (System.currentTimeMillis() - originMs) / TICK_MS + 1);
        }
        close(c);
    }

    private static boolean acknowledged(Connection c, String node) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            ps.setString(1, node);
            ps.executeUpdate();
            return ps.getWarnings() == null;
        }
    }

    private boolean sleep(long ms) {
        try {
            Thread.sleep(ms);
            return true;
        } catch (InterruptedException e) {
            return false;
        }
    }

    private static void close(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                // already broken: nothing to release
            }
        }
    }

    /** What the probe saw, from {@code fromMs} to {@code toMs} (epoch ms). */
    public Ticks ticks(long fromMs, long toMs) {
        if (toMs < fromMs || toMs - fromMs > MAX_WINDOW_MS) {
            throw new IllegalArgumentException("a probe window of " + fromMs + ".." + toMs + " ms is not a run's");
        }
        Map<String, boolean[]> accepted = new LinkedHashMap<>();
        long first = Math.floorDiv(fromMs - originMs, TICK_MS);
        int count = (int) Math.max(0, Math.floorDiv(toMs - originMs, TICK_MS) - first);
        logs.forEach((node, log) -> accepted.put(node, log.window(first, count)));
        return new Ticks(originMs + first * TICK_MS, accepted);
    }

    /**
     * Ticks from {@code startMs}, per node whether it acknowledged a write in that tick.
     *
     * @param accepted per node, one entry per 100 ms tick
     */
    public record Ticks(long startMs, Map<String, boolean[]> accepted) {

        /** 100 ms for every tick in which at least two nodes acknowledged a write. */
        public long dualWritableMs() {
            long dual = 0;
            for (int i = 0; i < length(); i++) {
                dual += writersAt(i) >= 2 ? TICK_MS : 0;
            }
            return dual;
        }

        /** Per node, the ticks in which it acknowledged a write: evidence the probe reached every node at all. */
        public Map<String, Integer> acknowledgedTicks() {
            Map<String, Integer> counts = new LinkedHashMap<>();
            accepted.forEach((node, ticks) -> {
                int n = 0;
                for (boolean t : ticks) {
                    n += t ? 1 : 0;
                }
                counts.put(node, n);
            });
            return counts;
        }

        /** How many ticks starting at or after {@code fromMs} (epoch) the node acknowledged a write in. */
        public int acknowledgedFrom(String node, long fromMs) {
            boolean[] ticks = accepted.getOrDefault(node, new boolean[0]);
            int n = 0;
            for (int i = firstIndexFrom(fromMs); i < ticks.length; i++) {
                n += ticks[i] ? 1 : 0;
            }
            return n;
        }

        /** The start (epoch ms) of the first tick at or after {@code fromMs} in which the node acknowledged a write. */
        public Optional<Long> firstAcknowledgedAt(String node, long fromMs) {
            boolean[] ticks = accepted.getOrDefault(node, new boolean[0]);
            for (int i = firstIndexFrom(fromMs); i < ticks.length; i++) {
                if (ticks[i]) {
                    return Optional.of(startMs + i * TICK_MS);
                }
            }
            return Optional.empty();
        }

        private int firstIndexFrom(long fromMs) {
            return (int) Math.max(0, Math.floorDiv(fromMs - startMs + TICK_MS - 1, TICK_MS));
        }

        /** The start (epoch ms) of the first tick in which two nodes acknowledged writes. */
        public Optional<Long> firstDualWritableAt() {
            for (int i = 0; i < length(); i++) {
                if (writersAt(i) >= 2) {
                    return Optional.of(startMs + i * TICK_MS);
                }
            }
            return Optional.empty();
        }

        private int writersAt(int i) {
            int writers = 0;
            for (boolean[] node : accepted.values()) {
                writers += i < node.length && node[i] ? 1 : 0;
            }
            return writers;
        }

        private int length() {
            return accepted.values().stream().mapToInt(a -> a.length).max().orElse(0);
        }
    }

    /** One node's acknowledged ticks (written by its probe thread, read by the drill). */
    private static final class TickLog {
        private final BitSet ticks = new BitSet();

        synchronized void accepted(long tick) {
            ticks.set((int) tick);
        }

        synchronized boolean[] window(long first, int count) {
            boolean[] window = new boolean[count];
            for (int i = 0; i < count; i++) {
                long tick = first + i;
                window[i] = tick >= 0 && tick <= Integer.MAX_VALUE && ticks.get((int) tick);
            }
            return window;
        }
    }
}
