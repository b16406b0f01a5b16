package dev.pgflip.agent.fence;

import dev.pgflip.agent.ExitCode;
import dev.pgflip.agent.PgflipException;
import dev.pgflip.agent.config.AgentConfig;
import dev.pgflip.agent.config.FencingConfig;
import dev.pgflip.agent.db.NodeConnector;
import dev.pgflip.agent.event.PromoteTimeline;
import dev.pgflip.agent.fence.StartDecision.Verdict;
import dev.pgflip.agent.process.ProcessRunner;
import dev.pgflip.agent.repmgr.RepmgrConf;
import dev.pgflip.agent.watch.ClusterFacts.DataPeer;
import dev.pgflip.agent.watch.ClusterFacts.WitnessView;
import dev.pgflip.agent.watch.PeerQuestions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * {@code pgflip start-guard}: run just before PostgreSQL starts (a systemd {@code ExecStartPre}, or ahead of
 * repmgr's {@code service_start_command}). A node that would start as a primary asks its peers and the witness
 * ({@link StartDecision}); when it cannot show that it is still the newest primary, it writes its fence record and
 * {@code standby.signal}, so it starts in recovery and refuses every write from its first moment. The peers come from
 * the list the watch keeps ({@link PeerListFile}): the local {@code repmgr.nodes} cannot be read yet.
 */
public final class StartGuard {
    /** The events file's name for the guard's outcome. */
    public static final String EVENT = "pgflip_start_guard";

    private final String self;
    private final Path dataDirectory;
    private final Path pgControldata;
    private final NodeConnector connector;
    private final PeerListFile peerList;
    private final FenceRecord record;
    private final ProcessRunner runner;
    private final PromoteTimeline events;

    StartGuard(String self, Path dataDirectory, Path pgControldata, NodeConnector connector, PeerListFile peerList,
            FenceRecord record, ProcessRunner runner, PromoteTimeline events) {
        this.self = self;
        this.dataDirectory = dataDirectory;
        this.pgControldata = pgControldata;
        this.connector = connector;
        this.peerList = peerList;
        this.record = record;
        this.runner = runner;
        this.events = events;
    }

    /** From the agent's config: node.name, node.database's credentials, fencing.repmgr_conf and fencing.state_file. */
    public static StartGuard of(AgentConfig config) {
        FencingConfig fencing = config.fencing().orElseThrow(() -> new PgflipException(ExitCode.USAGE,
                "no fencing section: pgflip start-guard needs fencing.repmgr_conf and fencing.state_file"));
        RepmgrConf conf;
        try {
            conf = RepmgrConf.read(fencing.repmgrConf());
        } catch (IOException e) {
            throw new PgflipException(ExitCode.USAGE, "cannot read fencing.repmgr_conf " + fencing.repmgrConf()
                    + ": " + e.getMessage() + " (it must be this node's repmgr.conf, readable by postgres)");
        }
        Path data = conf.dataDirectory().orElseThrow(() -> new PgflipException(ExitCode.USAGE, conf.file()
                + " has no data_directory: pgflip start-guard must know where standby.signal goes"));
        String self = config.requireNode().name();
        PromoteTimeline events = config.events().map(e -> PromoteTimeline.to(e.logFile(), self))
                .orElse(PromoteTimeline.NONE);
        return new StartGuard(self, data, conf.program("pg_controldata"),
                NodeConnector.of(config.requireDatabase(), "pgflip-start-guard"),
                PeerListFile.besideFenceRecord(fencing.stateFile()), new FenceRecord(fencing.stateFile()),
                new ProcessRunner(), events);
    }

    /** Decides, writes the fence and standby.signal when it must, and says what it did in one line. */
    public String run() {
        for (String signal : List.of("standby.signal", "recovery.signal")) {
            if (Files.exists(dataDirectory.resolve(signal))) {
                return "starts in recovery (" + signal + " is in " + dataDirectory + "): nothing to guard";
            }
        }
        OptionalLong running = runningPostmaster();
        if (running.isPresent()) {
            return "PostgreSQL is running (postmaster " + running.getAsLong() + "): nothing to guard, nothing changed";
        }
        Optional<PeerListFile.Recorded> recorded = peerList.read();
        if (recorded.isEmpty()) {
            return mark("starts as it is", "no peer list at " + peerList.file() + " yet (pgflip watch writes it once"
                    + " it has read repmgr.nodes): nothing to ask", OptionalLong.empty());
        }
        if ("witness".equals(recorded.get().selfType())) {
            return "the witness takes no writes: nothing to guard";
        }
        OptionalLong timeline;
        String timelineProblem = "";
        try {
            timeline = OptionalLong.of(DataDirectoryTimeline.read(dataDirectory, pgControldata, runner));
        } catch (IllegalStateException e) {
            timeline = OptionalLong.empty();
            timelineProblem = " (" + e.getMessage() + ")";
        }
        List<DataPeer> dataPeers = new ArrayList<>();
        Optional<WitnessView> witness = Optional.empty();
        for (Peer p : recorded.get().peers()) {
            if (p.isDataNode()) {
                dataPeers.add(askDataPeer(p));
            } else {
                witness = askWitness(p);
            }
        }
        Verdict verdict = StartDecision.decide(self, timeline, dataPeers, witness);
        if (verdict instanceof Verdict.InRecovery inRecovery) {
            record.write(inRecovery.fence());
            try {
                Files.writeString(dataDirectory.resolve("standby.signal"), "");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write standby.signal in " + dataDirectory + ": "
                        + e.getMessage() + " (run pgflip start-guard as the data directory's owner, postgres)", e);
            }
            return mark("starts in recovery", verdict.why() + timelineProblem, timeline);
        }
        return mark("starts as it is", verdict.why(), timeline);
    }

    private String mark(String outcome, String why, OptionalLong timeline) {
        events.mark(EVENT, Instant.now(), timeline.isPresent()
                ? Map.of("outcome", outcome, "reason", why, "timeline", timeline.getAsLong())
                : Map.of("outcome", outcome, "reason", why));
        return outcome + ": " + why;
    }

    /** The pid in postmaster.pid when that process is alive (a kill -9 leaves the file behind). */
    private OptionalLong runningPostmaster() {
        try {
            String first = Files.readAllLines(dataDirectory.resolve("postmaster.pid")).stream().findFirst().orElse("");
            long pid = Long.parseLong(first.strip());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).isPresent() ? OptionalLong.of(pid)
                    : OptionalLong.empty();
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty(); // absent, unreadable or half-written: pg_ctl judges it; the guard still decides
        }
    }

    private DataPeer askDataPeer(Peer p) {
        return PeerQuestions.dataPeer(p.name(), 0, p.active(), p.host(), p.port(),
                () -> connector.connect(p.host(), p.port()), true);
    }

    private Optional<WitnessView> askWitness(Peer p) {
        return PeerQuestions.witness(p.name(), () -> connector.connect(p.host(), p.port()));
    }
}
