package dev.pgflip.agent.provider;

import dev.pgflip.agent.config.LocalConfig;
import dev.pgflip.agent.config.LocalConfig.AddressHolder;
import dev.pgflip.agent.process.ProcessResult;
import dev.pgflip.agent.process.ProcessRunner;
import dev.pgflip.agent.time.Deadline;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves the address on Linux hosts with {@code ip} (optionally inside network namespaces): delete it from the
 * previous holders (they may be dead: failures are ignored), add it here, then announce it with gratuitous ARP
 * in the background. Without the ARP, clients kept the stale MAC and writes resumed ~13 s later (LAB-NOTES).
 */
public final class LocalFlipProvider implements FlipProvider {
    private static final Logger log = LoggerFactory.getLogger(LocalFlipProvider.class);
    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(3);

    private final LocalConfig config;
    private final String ip;
    private final ProcessRunner runner;
    private final String ipProgram;
    private final String arpingProgram;

    public LocalFlipProvider(LocalConfig config, String ip, ProcessRunner runner) {
        this(config, ip, runner, "ip", "arping");
    }

    /** With explicit program paths (tests substitute recording scripts). */
    public LocalFlipProvider(LocalConfig config, String ip, ProcessRunner runner, String ipProgram, String arpingProgram) {
        this.config = config;
        this.ip = ip;
        this.runner = runner;
        this.ipProgram = ipProgram;
        this.arpingProgram = arpingProgram;
    }

    @Override
    public FlipStatus status() {
        ProcessResult r = run(ip(config.netns(), "-4", "-o", "addr", "show", "dev", config.interfaceName()), STEP_TIMEOUT);
        if (!r.succeeded()) {
            throw new FlipException("cannot read addresses: " + r.describe());
        }
        boolean here = r.stdout().contains(" " + ip + "/");
        return new FlipStatus(ip, OptionalLong.empty(), Optional.empty(), false, Optional.empty(), Optional.of(here));
    }

    @Override
    public AssignResult assign(NodeIdentity target, Deadline deadline) {
        for (AddressHolder h : config.previousHolders()) {
            ProcessResult r = run(ip(h.netns(), "addr", "del", ip + "/32", "dev", h.interfaceName()), deadline.cap(STEP_TIMEOUT));
            // Expected to fail when the old holder is dead or never had it.
            log.debug("remove from previous holder: {}", r.succeeded() ? "done" : r.describe());
        }
        ProcessResult add = run(ip(config.netns(), "addr", "replace", ip + "/32", "dev", config.interfaceName()), deadline.remaining());
        if (!add.succeeded()) {
            throw new FlipException("could not add " + ip + " here: " + add.describe()
                    + " (the agent needs CAP_NET_ADMIN in the node's namespace)");
        }
        announce();
        Duration total = deadline.elapsed();
        log.info("flip verified: flip={} dev={}{} total={}ms", ip, config.interfaceName(),
                config.netns().map(ns -> " netns=" + ns).orElse(""), total.toMillis());
        return AssignResult.moved(ip, target, total);
    }

    @Override
    public void unassign(Deadline deadline) {
        ProcessResult r = run(ip(config.netns(), "addr", "del", ip + "/32", "dev", config.interfaceName()), deadline.remaining());
        if (!r.succeeded() && !r.stderr().contains("Cannot assign requested address")) {
            throw new FlipException("could not remove " + ip + ": " + r.describe());
        }
    }

    /** Gratuitous ARP, not waited for: {@code arping -c 3} takes ~2 s and clients need the first packet only. */
    private void announce() {
        List<String> argv = new ArrayList<>();
        config.netns().ifPresent(ns -> argv.addAll(List.of(ipProgram, "netns", "exec", ns)));
        argv.addAll(List.of(arpingProgram, "-U", "-c", "3", "-I", config.interfaceName(), ip));
        try {
            runner.startDetached(argv);
        } catch (IOException e) {
            log.warn("gratuitous ARP not sent ({}): clients may keep the old MAC for seconds; install iputils-arping",
                    e.getMessage());
        }
    }

    private List<String> ip(Optional<String> netns, String... args) {
        List<String> argv = new ArrayList<>();
        argv.add(ipProgram);
        netns.ifPresent(ns -> argv.addAll(List.of("-n", ns)));
        argv.addAll(List.of(args));
        return argv;
    }

    private ProcessResult run(List<String> argv, Duration timeout) {
        try {
            return runner.run(argv, Map.of(), timeout);
        } catch (IOException e) {
            throw new FlipException("cannot run " + String.join(" ", argv) + ": " + e.getMessage(), e);
        }
    }
}
