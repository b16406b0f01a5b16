package dev.pgflip.agent.cli;

import dev.pgflip.agent.config.AgentConfig;
import dev.pgflip.agent.config.FencingConfig;
import dev.pgflip.agent.fence.FenceRecord;
import dev.pgflip.agent.fence.PeerReachability;
import dev.pgflip.agent.fence.ReadOnlyFence;
import dev.pgflip.agent.fence.RecoveryFence;
import dev.pgflip.agent.fence.RepmgrPeers;
import dev.pgflip.agent.fence.SelfFencing;
import dev.pgflip.agent.process.ProcessRunner;
import dev.pgflip.agent.repmgr.RepmgrConf;
import dev.pgflip.agent.watch.PrimaryGuard;
import dev.pgflip.agent.watch.WatchLog;
import dev.pgflip.agent.watch.WitnessClaims;
import java.util.Optional;
import java.util.Properties;

/** Wires the self-fencing of {@code pgflip watch} when the config has a {@code fencing} section; nothing otherwise. */
final class FencingSetup implements AutoCloseable {
    private final Optional<SelfFencing> fencing;
    private final Optional<Runnable> resources;

    private FencingSetup(Optional<SelfFencing> fencing, Optional<Runnable> resources) {
        this.fencing = fencing;
        this.resources = resources;
    }

    static FencingSetup start(AgentConfig cfg, RepmgrConf repmgrConf, Properties credentials, PrimaryGuard guard,
            WatchLog log) {
        if (cfg.fencing().isEmpty()) {
            return new FencingSetup(Optional.empty(), Optional.empty());
        }
        FencingConfig config = cfg.fencing().get();
        RepmgrPeers peers = new RepmgrPeers(cfg.requireDatabase(), credentials, cfg.requireNode().name());
        ReadOnlyFence soft = new ReadOnlyFence(cfg.requireDatabase(), credentials, new FenceRecord(config.stateFile()));
        RecoveryFence fence = RecoveryFence.from(repmgrConf, soft, new ProcessRunner());
        PeerReachability reach = new PeerReachability(peers, config.probeInterval(), System::nanoTime).start();
        WitnessClaims claims = new WitnessClaims(cfg.requireDatabase(), credentials);
        SelfFencing selfFencing = new SelfFencing(reach, fence, guard::standing, claims::claimedAmong,
                config.isolationTimeout(), config.probeInterval(), log, System::nanoTime).start();
        return new FencingSetup(Optional.of(selfFencing), Optional.of(() -> {
            selfFencing.close();
            claims.close();
            fence.close();
            peers.close();
        }));
    }

    Optional<SelfFencing> selfFencing() {
        return fencing;
    }

    @Override
    public void close() {
        resources.ifPresent(Runnable::run);
    }
}
