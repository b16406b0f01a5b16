package dev.pgflip.agent.watch;

import dev.pgflip.agent.node.WatchLog;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A look of the watch on a thread of its own, every {@code period}: the watcher's API calls (a status up to 10 s, an
 * assign up to 20 s while the API is slow or down) must never delay the synchronous-replication keeper's degrade or
 * restore, nor a stalled repmgrd's release. A failed look is logged once per distinct error under {@code errorEvent}
 * and the next one comes on time.
 */
public final class PeriodicLook implements AutoCloseable {
    /** One look; may fail, never stops the schedule. */
    @FunctionalInterface
    public interface Look {
        void look() throws Exception;
    }

    private final Look look;
    private final WatchLog log;
    private final String errorEvent;
    private final ScheduledExecutorService executor;
    private String lastError = "";

    /** @param threadName the thread's name in a thread dump, e.g. {@code pgflip-sync-keeper} */
    public PeriodicLook(String threadName, Look look, WatchLog log, String errorEvent) {
        this.look = look;
        this.log = log;
        this.errorEvent = errorEvent;
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
    }

    public PeriodicLook start(Duration period) {
        executor.scheduleWithFixedDelay(this::lookSafely, 0, period.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** Never throws: a thread that died would leave commits blocked or unprotected, or repmgrd stuck. */
    void lookSafely() {
        try {
            look.look();
            lastError = "";
        } catch (Exception e) {
            String error = String.valueOf(e.getMessage());
            if (!error.equals(lastError)) {
                log.record(errorEvent, Map.of("error", error));
                lastError = error;
            }
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
