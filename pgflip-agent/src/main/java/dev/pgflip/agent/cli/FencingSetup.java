package dev.pgflip.agent.cli;

import dev.pgflip.agent.config.AgentConfig;
import dev.pgflip.agent.config.FencingConfig;
import dev.pgflip.agent.fence.PeerReachability;
import dev.pgflip.agent.fence.ReadOnlyFence;
import dev.pgflip.agent.fence.RepmgrPeers;
import dev.pgflip.agent.fence.SelfFencing;
import dev.pgflip.agent.watch.JdbcPrimaryGuard;
import dev.pgflip.agent.watch.WatchLog;
import java.util.Optional;
import java.util.Properties;
import java.util.function.BooleanSupplier;

/** Wires the self-fencing of {@code pgflip watch} when the config has a {@code fencing} section; nothing otherwise. */
final class FencingSetup implements AutoCloseable {
    private final Optional<SelfFencing> fencing;
    private final Optional<Runnable> resources;

    private FencingSetup(Optional<SelfFencing> fencing, Optional<Runnable> resources) {
        this.fencing = fencing;
        this.resources = resources;
    }

    static FencingSetup start(AgentConfig cfg, Properties credentials, JdbcPrimaryGuard guard, WatchLog log) {
        if (cfg.fencing().isEmpty()) {
            return new FencingSetup(Optional.empty(), Optional.empty());
        }
        FencingConfig config = cfg.fencing().get();
        RepmgrPeers peers = new RepmgrPeers(cfg.requireDatabase(), credentials);
        ReadOnlyFence fence = new ReadOnlyFence(cfg.requireDatabase(), credentials,
                new dev.pgflip.agent.fence.FenceRecord(config.stateFile()));
        PeerReachability reach = new PeerReachability(peers, config.probeInterval(), System::nanoTime).start();
        SelfFencing selfFencing = new SelfFencing(reach, fence, guard::everyDataPeerIsStandby,
                config.isolationTimeout(), config.probeInterval(), log).start();
        return new FencingSetup(Optional.of(selfFencing), Optional.of(() -> {
            selfFencing.close();
            fence.close();
            peers.close();
        }));
    }

    Optional<SelfFencing> selfFencing() {
        return fencing;
    }

    /**
     * For the replication keeper: degrading is allowed only while some peer answers and no other node is primary on a
     * newer timeline. The standby stops streaming both when it dies and when it is promoted behind this node's back
     * (repmgr promotes on its own view); degrading in the second case let this node take writes alone until its next
     * reconcile found the new primary (4.7 s of two writable nodes, measured by the drill's probe). Asking the guard
     * here, once per degrade, turns that case into an OUTRANKED fence instead.
     */
    BooleanSupplier degradeAllowed(JdbcPrimaryGuard guard) {
        return () -> {
            if (fencing.isEmpty()) {
                return true;
            }
            SelfFencing f = fencing.get();
            if (!f.inTouch()) {
                return false;
            }
            var outranking = guard.outrankingPrimary();
            outranking.ifPresent(f::outranked); // only a confirmed other primary fences; a failed check just waits
            return outranking.isEmpty();
        };
    }

    @Override
    public void close() {
        resources.ifPresent(Runnable::run);
    }
}
