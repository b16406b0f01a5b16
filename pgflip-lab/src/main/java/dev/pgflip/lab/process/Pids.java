package dev.pgflip.lab.process;

import java.util.List;
import java.util.Optional;

/** Signals processes by the PIDs the lab recorded, never by name. */
public final class Pids {
    private Pids() {}

    /**
     * Alive and not a zombie: a killed daemon we did not start is reaped by init, which here can take a second,
     * and waiting on that would only slow teardown down.
     */
    public static boolean alive(long pid) {
        if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            return false;
        }
        try {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc", Long.toString(pid), "stat"));
            int afterName = stat.lastIndexOf(')');
            return afterName < 0 || stat.length() < afterName + 3 || stat.charAt(afterName + 2) != 'Z';
        } catch (java.io.IOException e) {
            return false;
        }
    }

    public static boolean aliveAndNotZombie(ProcessHandle process) {
        return alive(process.pid());
    }

    /** The process and all its descendants, parents first; empty when it is gone. */
    public static List<ProcessHandle> withDescendants(long pid) {
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty()) {
            return List.of();
        }
        return java.util.stream.Stream.concat(handle.stream(), handle.get().descendants()).toList();
    }

    /** Sends a signal (KILL, STOP, CONT, TERM …) to the process and its descendants. */
    public static void signal(Commands commands, long pid, String signal) {
        List<String> targets = withDescendants(pid).stream().map(h -> Long.toString(h.pid())).toList();
        if (targets.isEmpty()) {
            return;
        }
        List<String> argv = new java.util.ArrayList<>(List.of("kill", "-s", signal));
        argv.addAll(targets);
        commands.attempt(argv, java.time.Duration.ofSeconds(5));
    }
}
