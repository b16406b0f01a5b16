package dev.pgflip.agent.fence;

import dev.pgflip.agent.process.ProcessResult;
import dev.pgflip.agent.process.ProcessRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A stopped node's timeline, read from its data directory: the newest of the last checkpoint's (pg_controldata) and
 * the timelines named by the files in {@code pg_wal}. The checkpoint alone lags: a node killed right after its
 * promotion, before the checkpoint that follows it, still records the old timeline there; but a promotion writes
 * its timeline's history file first, and every WAL segment's name begins with its timeline.
 */
public final class DataDirectoryTimeline {
    private static final Pattern HISTORY = Pattern.compile("([0-9A-F]{8})\\.history");
    private static final Pattern SEGMENT = Pattern.compile("([0-9A-F]{8})[0-9A-F]{16}(\\.partial)?");
    private static final Pattern CHECKPOINT = Pattern.compile("(?m)^Latest checkpoint's TimeLineID:\\s+([0-9]+)\\s*$");
    private static final Duration CONTROLDATA_TIMEOUT = Duration.ofSeconds(10);

    private DataDirectoryTimeline() {}

    /**
     * @throws IllegalStateException naming what could not be read (the data directory, pg_controldata's answer)
     */
    public static long read(Path dataDirectory, Path pgControldata, ProcessRunner runner) {
        long fromFiles;
        try (Stream<Path> files = Files.list(dataDirectory.resolve("pg_wal"))) {
            fromFiles = fromWalNames(files.map(p -> p.getFileName().toString()).toList()).orElse(0);
        } catch (IOException e) {
            throw new IllegalStateException("cannot list " + dataDirectory.resolve("pg_wal") + ": " + e.getMessage()
                    + " (run as the data directory's owner, postgres)", e);
        }
        ProcessResult controldata;
        try {
            controldata = runner.run(List.of(pgControldata.toString(), "-D", dataDirectory.toString()),
                    Map.of("LC_ALL", "C"), CONTROLDATA_TIMEOUT);
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + pgControldata + ": " + e.getMessage(), e);
        }
        if (!controldata.succeeded()) {
            throw new IllegalStateException("cannot read the control file of " + dataDirectory + ": "
                    + controldata.describe());
        }
        long checkpoint = checkpointTimeline(controldata.stdout()).orElseThrow(() -> new IllegalStateException(
                "pg_controldata -D " + dataDirectory + " printed no \"Latest checkpoint's TimeLineID\" line"));
        return Math.max(checkpoint, fromFiles);
    }

    /** The newest timeline named by pg_wal's history files and WAL segments; empty when none is there. */
    static OptionalLong fromWalNames(List<String> names) {
        OptionalLong newest = OptionalLong.empty();
        for (String name : names) {
            Matcher m = HISTORY.matcher(name);
            if (!m.matches()) {
                m = SEGMENT.matcher(name);
                if (!m.matches()) {
                    continue;
                }
            }
            long timeline = Long.parseLong(m.group(1), 16);
            if (newest.isEmpty() || timeline > newest.getAsLong()) {
                newest = OptionalLong.of(timeline);
            }
        }
        return newest;
    }

    static OptionalLong checkpointTimeline(String controldataOutput) {
        Matcher m = CHECKPOINT.matcher(controldataOutput);
        return m.find() ? OptionalLong.of(Long.parseLong(m.group(1))) : OptionalLong.empty();
    }
}
