package dev.pgflip.agent.fence;

import dev.pgflip.agent.config.AgentConfig;
import dev.pgflip.agent.config.FencingConfig;
import dev.pgflip.agent.db.NodeConnector;
import dev.pgflip.agent.process.ProcessRunner;
import dev.pgflip.agent.repmgr.RepmgrConf;
import dev.pgflip.agent.node.PrimaryGuard;
import dev.pgflip.agent.node.WatchLog;
import dev.pgflip.agent.node.WatchRecorder;
import dev.pgflip.agent.watch.WitnessClaims;
import java.util.Optional;

/**
 * Wires the self-fencing of {@code pgflip watch} when the config has a {@code fencing} section, nothing otherwise: the
 * policy's parts live here with the fence, the CLI only starts and closes it.
 */
public final class FencingSetup implements AutoCloseable {
    private final Optional<SelfFencing> fencing;
    private final Optional<UpstreamSilence> upstreamSilence;
    private final Optional<Runnable> resources;

    private FencingSetup(Optional<SelfFencing> fencing, Optional<UpstreamSilence> upstreamSilence,
            Optional<Runnable> resources) {
        this.fencing = fencing;
        this.upstreamSilence = upstreamSilence;
        this.resources = resources;
    }

    /** @param recorder told the fence's state at every look and change (the watch's metrics) */
    public static FencingSetup start(AgentConfig cfg, RepmgrConf repmgrConf, NodeConnector connector, PrimaryGuard guard,
            WatchLog log, WatchRecorder recorder) {
        if (cfg.fencing().isEmpty()) {
            return new FencingSetup(Optional.empty(), Optional.empty(), Optional.empty());
        }
        FencingConfig config = cfg.fencing().get();
        RepmgrPeers peers = new RepmgrPeers(connector, cfg.requireNode().name(),
                Optional.of(PeerListFile.besideFenceRecord(config.stateFile())));
        ReadOnlyFence soft = new ReadOnlyFence(connector, new FenceRecord(config.stateFile()));
        RecoveryFence fence = RecoveryFence.from(repmgrConf, soft, new ProcessRunner(),
                RestartLock.besideFenceRecord(config.stateFile()));
        Optional<ProbeListener> listener = config.probePort().isPresent()
                ? ProbeListener.start(config.probePort().getAsInt()) : Optional.empty();
        PeerReachability reach = new PeerReachability(peers, config.probePort(), config.probeInterval(),
                System::nanoTime).start();
        WitnessClaims claims = new WitnessClaims(connector, cfg.requireNode().name());
        SelfFencing selfFencing = new SelfFencing(reach, new RecordingNodeFence(fence, recorder), guard::standing,
                claims::claimedAmong, StandbyReplies.onLocalNode(connector.keepLocal(), System::nanoTime),
                config.isolationTimeout(), config.probeInterval(), log, System::nanoTime).start();
        return new FencingSetup(Optional.of(selfFencing),
                Optional.of(new UpstreamSilence(reach, config.probeInterval())), Optional.of(() -> {
            selfFencing.close();
            claims.close();
            fence.close();
            peers.close();
            listener.ifPresent(ProbeListener::close);
        }));
    }

    public Optional<SelfFencing> selfFencing() {
        return fencing;
    }

    /** Whether the node at a host stopped answering this node's probes; only with a fencing section. */
    public Optional<UpstreamSilence> upstreamSilence() {
        return upstreamSilence;
    }

    @Override
    public void close() {
        resources.ifPresent(Runnable::run);
    }
}
