package dev.pgflip.agent.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalInt;

/**
 * {@code fencing}: the primary's self-fencing in {@code pgflip watch}. Every {@code probe_interval} the agent checks
 * that it can reach its peers (the standby, the witness); cut off from all of them for longer than
 * {@code isolation_timeout} it makes its node refuse writes, before repmgrd on the standby can promote (the bound
 * is derived from {@code repmgr_conf}: see {@link dev.pgflip.agent.fence.IsolationBound}). With {@code probe_port}, the
 * watch also accepts its peers' probes on that port and probes the data peers there first, so a healthy cluster's
 * probes fork no PostgreSQL backend ({@link dev.pgflip.agent.fence.PeerReachability}).
 */
public record FencingConfig(Path repmgrConf, Path stateFile, Duration probeInterval, Duration isolationTimeout,
                            Duration earliestPromotion, OptionalInt probePort) {
    public static final Duration DEFAULT_PROBE_INTERVAL = Duration.ofMillis(250);

    /** Without {@code probe_port}: every probe connects to the peers' PostgreSQL port. */
    public FencingConfig(Path repmgrConf, Path stateFile, Duration probeInterval, Duration isolationTimeout,
            Duration earliestPromotion) {
        this(repmgrConf, stateFile, probeInterval, isolationTimeout, earliestPromotion, OptionalInt.empty());
    }
}
