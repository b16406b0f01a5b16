package dev.pgflip.lab.drill;

import dev.pgflip.lab.Deadline;
import dev.pgflip.lab.Lab;
import dev.pgflip.lab.LabFaults;
import dev.pgflip.lab.LabFiles;
import dev.pgflip.lab.LabNode;
import dev.pgflip.lab.cluster.PostgresNode;
import dev.pgflip.lab.process.Pids;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A change-data-capture consumer streams WAL from the primary ({@code pg_receivewal}), then the standby is killed:
 * synchronous replication must degrade as after standby-down, the writes pausing at most the degrade bound. A keeper
 * that counted every walsender as a standby would see the stream and never degrade, while PostgreSQL waits for a named
 * standby ({@code synchronous_standby_names} names n1 and n2 only): the writes would hang.
 *
 * <p>The stream runs as postgres inside the primary's namespace against the primary's own address, with no replication
 * slot. In the namespace, because {@code lab down} stops whatever lives in a lab namespace, so an interrupted drill
 * leaves no stray process behind; the walsender it gets is the same as from any other host (pg_stat_replication is
 * what the keeper reads). No slot, because a slot would pin WAL on the primary after the run, must be dropped by name
 * (and pg_rewind of a later failover carries it along), while a 30 s stream needs none with {@code wal_keep_size}
 * 256MB. Its {@code application_name} is {@value #APPLICATION_NAME}, so it is found in pg_stat_replication and is
 * named in no {@code synchronous_standby_names}.
 */
final class CdcStreamScenario implements FaultScenario {
    static final String APPLICATION_NAME = "pgflip_drill_cdc";
    private static final Duration STREAMING_WAIT = Duration.ofSeconds(10);
    /** The degrade bound (4 s on the lab) and room to see the writes resume, or not. */
    private static final long HOLD_MS = 10_000;

    private final Lab lab;
    private final LabNode primary;
    private final Map<Phase, Long> phases = new EnumMap<>(Phase.class);
    private Long pid;

    CdcStreamScenario(Lab lab, RunStart start) {
        this.lab = lab;
        this.primary = start.primary();
    }

    @Override
    public void prepare() {
        Path dir = walDir();
        deleteTree(dir);
        LabFiles.directory(dir, "rwx------", true);
        PostgresNode pg = lab.postgres(primary);
        // The password comes from the lab's PGPASSFILE (Commands' environment), never from the command line.
        pid = lab.commands().startDaemon(pg.asPostgres("pg_receivewal", "-D", dir.toString(), "-d",
                "host=" + primary.address() + " port=" + LabNode.PORT + " user=repmgr connect_timeout=2 application_name="
                        + APPLICATION_NAME, "--no-loop", "--status-interval=1", "--verbose"),
                lab.layout().logs().resolve(primary.name() + "-pg_receivewal.log"));
        if (awaitStreaming()) {
            phases.put(Phase.CDC_STREAMING, System.currentTimeMillis());
        }
    }

    @Override
    public void inject(LabNode target) {
        new LabFaults(lab).inject(LabFaults.Fault.KILL, target);
    }

    @Override
    public long holdMs() {
        return HOLD_MS;
    }

    @Override
    public Map<Phase, Long> phases() {
        return Map.copyOf(phases);
    }

    @Override
    public void cleanUp() {
        if (pid != null && Pids.alive(pid)) {
            Pids.signal(lab.commands(), pid, "KILL");
        }
        deleteTree(walDir());
    }

    private boolean awaitStreaming() {
        Deadline deadline = Deadline.after(STREAMING_WAIT);
        while (!deadline.expired() && pid != null && Pids.alive(pid)) {
            try (Connection c = lab.appSql().connect(primary.address(), "postgres", 2);
                 PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM pg_stat_replication"
                         + " WHERE application_name = ? AND state = 'streaming'")) {
                ps.setString(1, APPLICATION_NAME);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next() && rs.getInt(1) > 0) {
                        return true;
                    }
                }
            } catch (SQLException e) {
                // the primary answers in a moment; the deadline bounds the wait
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    private Path walDir() {
        return lab.layout().nodeDir(primary).resolve("drill-cdc-wal");
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the CDC stream's directory " + dir, e);
        }
    }
}
