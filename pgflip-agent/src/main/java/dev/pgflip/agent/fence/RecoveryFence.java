package dev.pgflip.agent.fence;

import dev.pgflip.agent.db.Recovery;
import dev.pgflip.agent.node.FenceState;
import dev.pgflip.agent.process.ProcessResult;
import dev.pgflip.agent.process.ProcessRunner;
import dev.pgflip.agent.repmgr.RepmgrConf;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fence no session can override (issue 13, hole 2): {@code default_transaction_read_only} alone is advisory
 * ({@code BEGIN READ WRITE} overrides it, and {@code SET LOCAL synchronous_commit = local} the synchronous wait), so
 * after the read-only setting and the ended sessions (instant, and they close most of the window) the node is
 * stopped at once and started again in recovery, with {@code standby.signal}: a server in recovery refuses every
 * write from every session, superusers included, while it still serves reads. The same demotion Patroni makes of a
 * leader that lost its lock. {@code standby.signal} stays in the data directory, so a reboot brings the node back in
 * recovery too.
 *
 * <p>Immediate stop: a fast shutdown waits for walsenders to hand the shutdown checkpoint to standbys, which a
 * partition can hold up; crash recovery on the next start costs less than that wait. The start uses repmgr.conf's
 * {@code service_start_command} when it has one (systemd units stay in charge of their postmaster), else
 * {@code pg_ctl start}.
 *
 * <p>Lifting an isolation fence promotes the node again ({@code pg_promote}): a new timeline, which the standbys
 * follow (recovery_target_timeline=latest); lifting is allowed only when every data peer streams from this node or
 * the witness vouches for it.
 */
public final class RecoveryFence implements NodeFence, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RecoveryFence.class);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    private final ReadOnlyFence soft;
    private final Path dataDirectory;
    private final Path pgCtl;
    private final Optional<String> serviceStartCommand;
    private final ProcessRunner runner;
    private final RestartLock restartLock;

    public RecoveryFence(ReadOnlyFence soft, Path dataDirectory, Path pgCtl, Optional<String> serviceStartCommand,
            ProcessRunner runner, RestartLock restartLock) {
        this.soft = soft;
        this.dataDirectory = dataDirectory;
        this.pgCtl = pgCtl;
        this.serviceStartCommand = serviceStartCommand;
        this.runner = runner;
        this.restartLock = restartLock;
    }

    /** data_directory, pg_bindir and service_start_command from this node's repmgr.conf. */
    public static RecoveryFence from(RepmgrConf conf, ReadOnlyFence soft, ProcessRunner runner, RestartLock restartLock) {
        Path data = conf.dataDirectory().orElseThrow(() -> new IllegalArgumentException(
                conf.file() + " has no data_directory: the fence must know where to put standby.signal"));
        return new RecoveryFence(soft, data, conf.program("pg_ctl"), conf.value("service_start_command").filter(c -> !c.isBlank()), runner,
                restartLock);
    }

    @Override
    public Optional<FenceState> current() {
        return soft.current();
    }

    @Override
    public void fence(FenceState state, Runnable writesRefused) {
        boolean inRecovery;
        try {
            inRecovery = soft.onOwnSession("cannot read the local role", Recovery::inRecovery);
        } catch (IllegalStateException e) {
            inRecovery = false; // cannot tell: the restart below is right either way
        }
        if (inRecovery) {
            recordInRecovery(state, writesRefused);
            return;
        }
        Optional<RestartLock.Held> held = restartLock.tryAcquire();
        if (held.isEmpty()) {
            // pgflip rejoin is rewinding this node into a standby: it must not be started under it (pg_rewind's
            // single-user start then fails on the new postmaster's shared memory), and no record is written either
            // (the rejoin clears the record as it ends; one written after that would bar the standby's promotion).
            // The node takes no writes meanwhile: it is stopped for the rewind.
            log.warn("pgflip rejoin holds {}: this node's PostgreSQL is not restarted in recovery ({})",
                    restartLock.file(), state);
            writesRefused.run();
            return;
        }
        try (RestartLock.Held restarting = held.get()) {
            restartInRecovery(state, writesRefused);
        }
    }

    /**
     * Already refusing every write (fenced before): nothing to restart, and its readers keep their sessions; only the
     * record changes (an isolation fence found outranked). Under the restart lock, and only while a record stands:
     * {@code pgflip rejoin} clears the record under that lock as it makes the node a standby, and a fence decided from
     * a look taken before that (seen in the drill: the isolation fence of a partitioned old primary upgraded to
     * "outranked" 0.4 s after its rejoin had cleared it) must not bar the rejoined standby's next promotion.
     */
    private void recordInRecovery(FenceState state, Runnable writesRefused) {
        Optional<RestartLock.Held> held = restartLock.tryAcquire();
        if (held.isEmpty()) {
            log.warn("pgflip rejoin holds {}: this node's fence is not recorded ({})", restartLock.file(), state);
            return;
        }
        try (RestartLock.Held recording = held.get()) {
            if (soft.current().isEmpty()) {
                log.warn("this node is in recovery with no fence record (a standby again, rejoined since the look that"
                        + " decided it): {} is not recorded", state);
                return;
            }
            soft.record(state);
            writesRefused.run();
        }
    }

    private void restartInRecovery(FenceState state, Runnable writesRefused) {
        try {
            soft.fence(state, () -> {});
        } catch (IllegalStateException e) {
            // The record is written first; the setting and the ended sessions only narrow the window the stop closes.
        }
        try {
            Files.writeString(dataDirectory.resolve("standby.signal"), "");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write standby.signal in " + dataDirectory + ": " + e.getMessage()
                    + " (the agent must run as the data directory's owner, postgres)", e);
        }
        run(List.of(pgCtl.toString(), "-D", dataDirectory.toString(), "-m", "immediate", "-w", "stop"), STOP_TIMEOUT,
                "stop PostgreSQL");
        writesRefused.run();
        List<String> start = serviceStartCommand.map(cmd -> List.of("/bin/sh", "-c", cmd))
                .orElse(List.of(pgCtl.toString(), "-D", dataDirectory.toString(), "-w", "start"));
        run(start, START_TIMEOUT, "start PostgreSQL in recovery");
    }

    @Override
    public void lift() {
        soft.onOwnSession("cannot promote the fenced node", c -> {
            try (Statement s = c.createStatement()) {
                if (Recovery.inRecovery(c)) {
                    try (ResultSet rs = s.executeQuery("SELECT pg_promote(true, 60)")) {
                        rs.next();
                        if (!rs.getBoolean(1)) {
                            throw new java.sql.SQLException("pg_promote did not finish within 60 s");
                        }
                    }
                }
            }
            return null;
        });
        soft.lift();
    }

    @Override
    public void discard() {
        soft.discard();
    }

    @Override
    public OptionalLong localTimeline() {
        return soft.localTimeline();
    }

    private void run(List<String> argv, Duration timeout, String what) {
        try {
            ProcessResult result = runner.run(argv, Map.of(), timeout);
            if (!result.succeeded()) {
                throw new IllegalStateException("cannot " + what + ": " + result.describe());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot " + what + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        soft.close();
    }
}
