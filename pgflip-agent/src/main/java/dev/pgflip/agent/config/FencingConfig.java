package dev.pgflip.agent.config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * {@code fencing}: the primary's self-fencing in {@code pgflip watch}. Every {@code probe_interval} the agent checks
 * that it can reach its peers (the standby, the witness); cut off from all of them for longer than
 * {@code isolation_timeout} it makes its node refuse writes, before repmgrd on the standby can promote (the bound
 * is derived from {@code repmgr_conf}: see {@link dev.pgflip.agent.fence.IsolationBound}).
 */
public record FencingConfig(Path repmgrConf, Path stateFile, Duration probeInterval, Duration isolationTimeout,
                            Duration earliestPromotion) {
    public static final Duration DEFAULT_PROBE_INTERVAL = Duration.ofMillis(250);
}
