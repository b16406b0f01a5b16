package dev.pgflip.agent.rejoin;

import dev.pgflip.agent.ExitCode;
import dev.pgflip.agent.PgflipException;
import dev.pgflip.agent.config.RejoinConfig;
import dev.pgflip.agent.process.ProcessResult;
import dev.pgflip.agent.process.ProcessRunner;
import java.time.Duration;
import java.util.List;

/**
 * Reads the stopped local node's control file: {@code pg_controldata -D data_directory}, both taken from the node's
 * repmgr.conf ({@code data_directory}; {@code pg_bindir}, else PATH, which is where repmgr itself looks for
 * pg_rewind). {@code LC_ALL=C}, because pg_controldata translates its labels.
 */
public final class PgControlData {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private PgControlData() {}

    /** @throws PgflipException (exit 2) when the control file cannot be read: nothing has been changed yet */
    public static ControlData read(RejoinConfig rejoin, ProcessRunner runner) {
        ProcessResult result = LocalServer.of(rejoin).run("pg_controldata", List.of(), runner, TIMEOUT);
        if (!result.succeeded()) {
            throw new PgflipException(ExitCode.USAGE, "cannot read this node's timeline: " + result.describe()
                    + "; nothing was changed");
        }
        return ControlData.parse(result.stdout()).orElseThrow(() -> new PgflipException(ExitCode.USAGE,
                String.join(" ", result.argv()) + " printed no \"Latest checkpoint's TimeLineID\" and \"Min recovery ending"
                        + " loc's timeline\": is it PostgreSQL's pg_controldata? Nothing was changed"));
    }

    /**
     * The state and latest checkpoint location of this node's control file, e.g. ("shut down", "0/5000028"): after a
     * clean stop that checkpoint is the last WAL record the node wrote.
     */
    public static CheckpointLocation latestCheckpoint(RejoinConfig rejoin, ProcessRunner runner) {
        ProcessResult result = LocalServer.of(rejoin).run("pg_controldata", List.of(), runner, TIMEOUT);
        if (!result.succeeded()) {
            throw new PgflipException(ExitCode.PROMOTE_FAILED, "cannot read this node's control file: "
                    + result.describe());
        }
        return CheckpointLocation.parse(result.stdout()).orElseThrow(() -> new PgflipException(ExitCode.PROMOTE_FAILED,
                String.join(" ", result.argv()) + " printed no \"Latest checkpoint location\""));
    }

    /** @param clusterState "shut down", "in production", ... @param location an LSN such as 0/5000028 */
    public record CheckpointLocation(String clusterState, String location) {
        static java.util.Optional<CheckpointLocation> parse(String output) {
            String state = null;
            String location = null;
            for (String line : output.split("\\R")) {
                if (line.startsWith("Database cluster state:")) {
                    state = line.substring(line.indexOf(':') + 1).strip();
                } else if (line.startsWith("Latest checkpoint location:")) {
                    location = line.substring(line.indexOf(':') + 1).strip();
                }
            }
            return location == null || !location.matches("[0-9A-F]{1,8}/[0-9A-F]{1,8}") ? java.util.Optional.empty()
                    : java.util.Optional.of(new CheckpointLocation(state == null ? "unknown" : state, location));
        }
    }
}
