package dev.pgflip.agent.watch;

import dev.pgflip.agent.node.WatchLog;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The keeper's own schedule: a thread of its own that looks every {@code period}, so the watcher's API calls (a
 * status up to 10 s, an assign up to 20 s while the API is slow or down) never delay a degrade or a restore.
 */
public final class ReplicationKeeping implements AutoCloseable {
    private final SynchronousReplicationKeeper keeper;
    private final WatchLog log;
    private final LongSupplier nanoClock;
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "pgflip-sync-keeper");
        t.setDaemon(true);
        return t;
    });
    private String lastError = "";

    public ReplicationKeeping(SynchronousReplicationKeeper keeper, WatchLog log, LongSupplier nanoClock) {
        this.keeper = keeper;
        this.log = log;
        this.nanoClock = nanoClock;
    }

    public ReplicationKeeping start(Duration period) {
        executor.scheduleWithFixedDelay(this::lookSafely, 0, period.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** Never throws: a keeper thread that died would leave commits blocked or unprotected. */
    void lookSafely() {
        try {
            keeper.tick(nanoClock.getAsLong());
            lastError = "";
        } catch (RuntimeException e) {
            String error = String.valueOf(e.getMessage());
            if (!error.equals(lastError)) {
                log.record("sync_error", Map.of("error", error));
                lastError = error;
            }
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
