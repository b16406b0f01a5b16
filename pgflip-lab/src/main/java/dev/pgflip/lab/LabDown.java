package dev.pgflip.lab;

import dev.pgflip.lab.cluster.PostgresNode;
import dev.pgflip.lab.drill.CpuHog;
import dev.pgflip.lab.install.AgentPackage;
import dev.pgflip.lab.install.NodeEtc;
import dev.pgflip.lab.process.Pids;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Removes everything the lab made, whatever state it is in: by the PIDs and names recorded in the state file plus
 * the fixed names of the topology (a crash may have happened before a name was recorded), the files it put outside its
 * directory (each node's /etc), and the agent's package when the lab installed it. Safe to run twice.
 */
public final class LabDown {
    private final Lab lab;
    private final Progress progress;

    public LabDown(Lab lab, Progress progress) {
        this.lab = lab;
        this.progress = progress;
    }

    public void run() {
        java.util.Optional<Path> owner = LabOwner.other(lab.layout());
        if (owner.isPresent()) {
            // The names belong to a running lab made from another directory: sweep nothing of it.
            progress.step("the lab names belong to the lab in %s; removing only %s", owner.get(), lab.layout().root());
            if (Files.exists(lab.layout().marker())) {
                deleteTree(lab.layout().root());
            }
            return;
        }
        LabState state = lab.state();
        List<Long> killed = new ArrayList<>();
        if (state.emulatorPid() != null) {
            kill(state.emulatorPid(), killed);
        }
        killed.addAll(CpuHog.sweep(lab.commands(), lab.layout().cpuHogPids()));
        state.repmgrdPids().values().forEach(pid -> kill(pid, killed));
        state.watchPids().values().forEach(pid -> kill(pid, killed));
        for (LabNode node : lab.topology().nodes()) {
            PostgresNode pg = lab.postgres(node);
            pg.postmasterPid().ifPresent(pid -> kill(pid, killed));
        }
        for (String netns : namespaces(state)) {
            // Anything still living in a namespace we created (a hook, arping) is ours too.
            lab.network().pidsIn(netns).forEach(pid -> kill(pid, killed));
        }
        if (!killed.isEmpty()) {
            progress.step("stopped processes %s", killed);
        }
        for (LabNode node : LabTopology.widest().nodes()) {
            if (lab.network().namespaceExists(node.netns()) || lab.network().linkExists(node.hostVeth())) {
                lab.network().deleteNamespace(node.netns(), node.hostVeth());
            }
        }
        for (int i = 0; i < state.namespaces().size(); i++) {
            String veth = i < state.hostVeths().size() ? state.hostVeths().get(i) : null;
            lab.network().deleteNamespace(state.namespaces().get(i), veth == null ? "" : veth);
        }
        lab.network().deleteBridge(state.bridge() != null ? state.bridge() : lab.topology().bridge());
        List<Path> removed = NodeEtc.remove(state.hostFiles());
        if (!removed.isEmpty()) {
            progress.step("removed the nodes' /etc files %s", removed);
        }
        if (state.agentPackage() != null) {
            // Only after every process of the lab is gone: nothing runs /usr/bin/pgflip any more.
            new AgentPackage(lab.commands()).purge();
            progress.step("purged the %s package (dpkg -P)", AgentPackage.NAME);
        }
        deleteTree(lab.layout().root());
        LabOwner.release(lab.layout());
        progress.step("lab down: namespaces, bridge, processes and %s removed", lab.layout().root());
    }

    private Set<String> namespaces(LabState state) {
        Set<String> all = new LinkedHashSet<>(state.namespaces());
        // Every name a lab of any size may have used: the record of how many standbys it made may be what was lost.
        LabTopology.widest().nodes().forEach(n -> all.add(n.netns()));
        all.removeIf(ns -> !lab.network().namespaceExists(ns));
        return all;
    }

    /** SIGCONT first: a frozen (SIGSTOPped) process would otherwise sit on its SIGKILL until continued. */
    private void kill(long pid, List<Long> killed) {
        if (!Pids.alive(pid)) {
            return;
        }
        Pids.signal(lab.commands(), pid, "CONT");
        Pids.signal(lab.commands(), pid, "KILL");
        for (int i = 0; i < 50 && Pids.alive(pid); i++) {
            LabUp.sleep(20);
        }
        killed.add(pid);
    }

    private void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        if (!Files.exists(lab.layout().marker())) {
            throw new LabException(root + " has no " + lab.layout().marker().getFileName()
                    + " marker, so it was not made by 'pgflip lab up': not deleting it (remove it yourself if it is yours)");
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                    Files.delete(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + root, e);
        }
    }
}
