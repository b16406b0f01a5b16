package dev.pgflip.lab.drill;

import dev.pgflip.lab.LabException;
import dev.pgflip.lab.process.Commands;
import dev.pgflip.lab.process.Pids;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Busy processes beside a drill ({@code drill --cpu-hog N}): {@code yes} writing to nothing, each in a session of its
 * own, so that with the kernel's autogroup scheduling each weighs like another program on the machine (a busy thread
 * inside the drill's JVM would mostly slow the drill's own clients). It models a loaded database host: the agent's
 * probes, repmgrd's checks and the hook's processes wait for the CPU. Their PIDs are kept in the lab's
 * {@code cpu-hog.pids} while they run, so {@code lab down} ends them after a drill that died.
 */
public final class CpuHog implements AutoCloseable {
    /** The only program {@link #sweep} signals: a PID recycled by something else is left alone. */
    static final String PROGRAM = "yes";
    public static final int MAX = 16;

    private final Commands commands;
    private final Path pidFile;
    private final List<Long> pids;

    private CpuHog(Commands commands, Path pidFile, List<Long> pids) {
        this.commands = commands;
        this.pidFile = pidFile;
        this.pids = pids;
    }

    /** A usage error naming the range unless {@code count} is 0 to {@value #MAX}. */
    public static void checkCount(int count) {
        if (count < 0 || count > MAX) {
            throw new LabException("--cpu-hog " + count + " is out of range: give 0 to " + MAX);
        }
    }

    /** Starts {@code count} busy processes (0: none, nothing written). */
    public static CpuHog start(Commands commands, Path pidFile, int count) {
        checkCount(count);
        List<Long> pids = new ArrayList<>();
        CpuHog hog = new CpuHog(commands, pidFile, pids);
        try {
            for (int i = 0; i < count; i++) {
                long pid = commands.startDaemon(List.of(PROGRAM), Path.of("/dev/null"));
                pids.add(pid);
                Files.writeString(pidFile, pid + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
            }
        } catch (IOException e) {
            hog.close();
            throw new UncheckedIOException("cannot record the CPU hog's PIDs in " + pidFile, e);
        } catch (RuntimeException e) {
            hog.close();
            throw e;
        }
        return hog;
    }

    public int count() {
        return pids.size();
    }

    @Override
    public void close() {
        sweep(commands, pidFile, pids);
    }

    /** Ends the hog processes a PID file lists (a drill that died left them) and removes the file; safe to repeat. */
    public static List<Long> sweep(Commands commands, Path pidFile) {
        if (!Files.exists(pidFile)) {
            return List.of();
        }
        List<Long> listed = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(pidFile, StandardCharsets.UTF_8)) {
                if (line.strip().matches("\\d{1,10}")) {
                    listed.add(Long.parseLong(line.strip()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + pidFile, e);
        }
        return sweep(commands, pidFile, listed);
    }

    private static List<Long> sweep(Commands commands, Path pidFile, List<Long> listed) {
        List<Long> ended = new ArrayList<>();
        for (long pid : listed) {
            if (Pids.alive(pid) && isHog(pid)) {
                Pids.signal(commands, pid, "KILL");
                ended.add(pid);
            }
        }
        try {
            Files.deleteIfExists(pidFile);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + pidFile, e);
        }
        return ended;
    }

    /**
     * The hog, or the {@code setsid} that is about to become it: on a loaded machine a hog closed right after its start
     * had not exec'd yet, was taken for another program, and ran on (CpuHogTest under a drill's load, 2026-12-06:
     * two {@code yes} left behind).
     */
    private static boolean isHog(long pid) {
        return ProcessHandle.of(pid).flatMap(h -> h.info().command())
                .map(c -> Path.of(c).getFileName().toString()).map(n -> n.equals(PROGRAM) || n.equals("setsid"))
                .orElse(false);
    }
}
