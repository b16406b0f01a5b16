package dev.pgflip.agent.switchover;

import dev.pgflip.agent.ExitCode;
import dev.pgflip.agent.PgflipException;
import dev.pgflip.agent.rejoin.PgControlData.CheckpointLocation;
import dev.pgflip.agent.rejoin.ShutdownCue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * The switchover's clean stop of the old primary, which tells the shutdown checkpoint as soon as the control file
 * records it instead of when the stop command ends. Once the checkpointer has written that checkpoint no session is
 * left and nothing more will be written; what the command still waits for is the walsenders sending the checkpoint,
 * the postmaster's exit, pg_ctl's next look (every 100 ms) and repmgr's own exit: 0.3-0.4 s on the lab, all of it
 * inside the write pause. The target's promotion needs only the checkpoint received, which the switchover polls for.
 */
final class CleanStop {
    private static final long POLL_MS = 10;
    private static final String SHUT_DOWN = "shut down";

    private final CompletableFuture<Void> command;
    private final ShutdownCue cue;
    private final Supplier<CheckpointLocation> controlData;

    private CleanStop(CompletableFuture<Void> command, ShutdownCue cue, Supplier<CheckpointLocation> controlData) {
        this.command = command;
        this.cue = cue;
        this.controlData = controlData;
    }

    /**
     * Starts {@code stopCommand} on a thread of its own.
     *
     * @param controlData {@code pg_controldata}'s state and latest checkpoint, the only answer acted upon
     */
    static CleanStop begin(Runnable stopCommand, ShutdownCue cue, Supplier<CheckpointLocation> controlData) {
        CompletableFuture<Void> command = CompletableFuture.runAsync(stopCommand, task -> {
            Thread thread = new Thread(task, "pgflip-clean-stop");
            thread.setDaemon(true);
            thread.start();
        });
        return new CleanStop(command, cue, controlData);
    }

    /**
     * The shutdown checkpoint once {@code pg_controldata} reports the node "shut down" (the command may still run), or
     * the control file's state after the command ended without that: a failed or unclean stop ("in production",
     * "shutting down"), which the caller treats as no stop.
     *
     * @throws PgflipException when the stop command failed
     */
    CheckpointLocation awaitCheckpoint() {
        while (!command.isDone()) {
            if (cue.saysShutDown()) {
                CheckpointLocation location = controlData.get();
                if (location.clusterState().equals(SHUT_DOWN)) {
                    return location;
                }
            }
            try {
                Thread.sleep(POLL_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        awaitStopped();
        return controlData.get();
    }

    /** Waits for the stop command to end, whatever its outcome. */
    void awaitEnd() {
        command.exceptionally(failure -> null).join();
    }

    /**
     * Waits for the stop command to end.
     *
     * @throws PgflipException as the command failed
     */
    void awaitStopped() {
        try {
            command.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof PgflipException failure) {
                throw failure;
            }
            throw new PgflipException(ExitCode.PROMOTE_FAILED, "the stop failed: " + e.getCause(), e.getCause());
        }
    }
}
