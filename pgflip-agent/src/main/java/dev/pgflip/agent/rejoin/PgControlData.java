package dev.pgflip.agent.rejoin;

import dev.pgflip.agent.ExitCode;
import dev.pgflip.agent.PgflipException;
import dev.pgflip.agent.config.RejoinConfig;
import dev.pgflip.agent.process.ProcessResult;
import dev.pgflip.agent.process.ProcessRunner;
import dev.pgflip.agent.repmgr.RepmgrConf;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

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
        Path confFile = rejoin.repmgrConf();
        RepmgrConf conf;
        try {
            conf = RepmgrConf.read(confFile);
        } catch (IOException e) {
            throw new PgflipException(ExitCode.USAGE, "cannot read rejoin.repmgr_conf " + confFile + ": " + e.getMessage(), e);
        }
        String dataDirectory = conf.value("data_directory").orElseThrow(() -> new PgflipException(ExitCode.USAGE,
                "rejoin.repmgr_conf " + confFile + " has no data_directory: pgflip rejoin reads this node's timeline"
                        + " from its control file there (add data_directory='/path/to/data')"));
        String program = conf.value("pg_bindir").map(dir -> Path.of(dir).resolve("pg_controldata").toString())
                .orElse("pg_controldata");
        List<String> argv = List.of(program, "-D", dataDirectory);
        ProcessResult result;
        try {
            result = runner.run(argv, Map.of("LC_ALL", "C"), TIMEOUT);
        } catch (IOException e) {
            throw new PgflipException(ExitCode.USAGE, "cannot run " + program + ": " + e.getMessage() + " (set pg_bindir"
                    + " in " + confFile + " to PostgreSQL's bin directory); nothing was changed", e);
        }
        if (!result.succeeded()) {
            throw new PgflipException(ExitCode.USAGE, "cannot read this node's timeline: " + result.describe()
                    + "; nothing was changed");
        }
        return ControlData.parse(result.stdout()).orElseThrow(() -> new PgflipException(ExitCode.USAGE,
                String.join(" ", argv) + " printed no \"Latest checkpoint's TimeLineID\" and \"Min recovery ending"
                        + " loc's timeline\": is it PostgreSQL's pg_controldata? Nothing was changed"));
    }
}
