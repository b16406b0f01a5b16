package dev.pgflip.agent.rejoin;

import dev.pgflip.agent.ExitCode;
import dev.pgflip.agent.PgflipException;
import dev.pgflip.agent.config.RejoinConfig;
import dev.pgflip.agent.repmgr.RepmgrConf;
import dev.pgflip.agent.process.ProcessResult;
import dev.pgflip.agent.process.ProcessRunner;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * This node's data directory and PostgreSQL programs, from its repmgr.conf: {@code data_directory}; {@code pg_bindir},
 * else PATH (where repmgr itself looks for pg_rewind).
 */
record LocalServer(RepmgrConf conf, String dataDirectory) {
    /** @throws PgflipException (exit 2) when repmgr.conf cannot be read or names no data directory */
    static LocalServer of(RejoinConfig rejoin) {
        Path confFile = rejoin.repmgrConf();
        RepmgrConf conf;
        try {
            conf = RepmgrConf.read(confFile);
        } catch (IOException e) {
            throw new PgflipException(ExitCode.USAGE, "cannot read rejoin.repmgr_conf " + confFile + ": " + e.getMessage(), e);
        }
        Path dataDirectory = conf.dataDirectory().orElseThrow(() -> new PgflipException(ExitCode.USAGE,
                "rejoin.repmgr_conf " + confFile + " has no data_directory: pgflip rejoin reads this node's timeline"
                        + " from its control file there (add data_directory='/path/to/data')"));
        return new LocalServer(conf, dataDirectory.toString());
    }

    Path repmgrConf() {
        return conf.file();
    }

    /** The program's path in pg_bindir, or its bare name for PATH. */
    String program(String name) {
        return conf.program(name).toString();
    }

    /**
     * Runs PostgreSQL's {@code name} with {@code -D data_directory} after {@code args}, {@code LC_ALL=C} (its output is
     * parsed, and translated otherwise).
     *
     * @throws PgflipException (exit 2) when the program cannot be started: nothing has been changed
     */
    ProcessResult run(String name, List<String> args, ProcessRunner runner, Duration timeout) {
        String program = program(name);
        List<String> argv = new ArrayList<>(List.of(program));
        argv.addAll(args);
        argv.addAll(List.of("-D", dataDirectory));
        try {
            return runner.run(argv, Map.of("LC_ALL", "C"), timeout);
        } catch (IOException e) {
            throw new PgflipException(ExitCode.USAGE, "cannot run " + program + ": " + e.getMessage() + " (set pg_bindir"
                    + " in " + repmgrConf() + " to PostgreSQL's bin directory); nothing was changed", e);
        }
    }
}
