package dev.pgflip.agent.event;

import dev.pgflip.agent.ExitCode;
import dev.pgflip.agent.PgflipException;
import dev.pgflip.agent.config.AgentConfig;
import dev.pgflip.agent.config.AgentConfigLoader;
import dev.pgflip.agent.config.ConfigPurpose;
import dev.pgflip.agent.config.NodeConfig;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** {@code pgflip event}: where to write (config or {@value #ENV}) and what (one {@link RepmgrEvent} line). */
public final class EventRecorder {
    public static final String ENV = "PGFLIP_EVENTS_LOG";
    public static final String CALLED_AT_ENV = "PGFLIP_CALLED_AT";
    /** When the promote wrapper saw its node leave recovery (epoch ms), for {@code promote --already-promoted}. */
    public static final String WRITABLE_AT_ENV = "PGFLIP_WRITABLE_AT";

    private EventRecorder() {}

    /**
     * When repmgr called the hook: {@value #CALLED_AT_ENV} (epoch ms) when a detaching wrapper recorded it (the JVM
     * then starts later, in the background, so its own clock would say when it ran, not when repmgr called), else now.
     */
    public static Instant calledAt(Map<String, String> env, Instant now) {
        return epochMillis(env, CALLED_AT_ENV).orElse(now);
    }

    /** The instant in {@code name} (Unix epoch milliseconds, as {@code date +%s%3N} prints it), if set and well formed. */
    public static Optional<Instant> epochMillis(Map<String, String> env, String name) {
        String text = env.get(name);
        if (text == null || !text.strip().matches("\\d{10,16}")) {
            return Optional.empty();
        }
        return Optional.of(Instant.ofEpochMilli(Long.parseLong(text.strip())));
    }

    /** Appends the event and returns the line written. */
    public static String record(Optional<Path> configFile, Map<String, String> env, String nodeId, String event,
            String success, String eventTimestamp, String details, Instant now) {
        Path logFile;
        Optional<String> node;
        if (configFile.isPresent()) {
            AgentConfig config = AgentConfigLoader.load(configFile.get(), ConfigPurpose.EVENT);
            logFile = config.requireEvents().logFile();
            node = config.node().map(NodeConfig::name);
        } else {
            String fromEnv = env.get(ENV);
            if (fromEnv == null || fromEnv.isBlank()) {
                throw new PgflipException(ExitCode.USAGE, "no event log: pass --config FILE (with events.log_file) or set " + ENV);
            }
            logFile = Path.of(fromEnv);
            node = Optional.empty();
        }
        RepmgrEvent e = new RepmgrEvent(now, nodeId, event, RepmgrEvent.parseSuccess(success), eventTimestamp, details, node);
        String line = e.toJsonLine();
        new EventLog(logFile).append(line);
        return line;
    }
}
