package dev.pgflip.agent.repmgr;

import java.nio.file.Path;

/**
 * The node's shell entry points besides the promote wrapper ({@link PromoteWrapper}): the agent's launcher and repmgr's
 * {@code event_notification_command}. One source for the Debian package, the lab and the guide, so what the lab tests
 * is what a droplet runs.
 */
public final class HookScripts {
    private HookScripts() {}

    /**
     * The agent's launcher. A short-lived JVM sits on the failover's path (the promote hook's confirmation, the event
     * hook): class-data sharing and the C1-only JIT roughly halve its start-up; without a trained archive
     * ({@code -Xshare:auto}) it only starts a little slower.
     */
    public static String launcher(Path java, Path jar, Path classDataArchive, String header) {
        return "#!/bin/sh\n"
                + "# " + header + "\n"
                + "# The pgflip agent. A short-lived JVM on the failover's path: class-data sharing and the C1-only JIT\n"
                + "# roughly halve its start-up. Without the archive (-Xshare:auto) it simply starts a little slower.\n"
                + "exec " + java + " -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto -XX:SharedArchiveFile="
                + classDataArchive + " -cp " + jar + " dev.pgflip.agent.cli.AgentMain \"$@\"\n";
    }

    /**
     * repmgr's event_notification_command, in the background: repmgrd runs it synchronously, and a JVM start there
     * (0.3 s idle, up to 2 s during a failover, measured on the lab) delayed its failure detection by as much. A
     * failover fires several events at once, beside the promote hook, and each JVM start costs 0.5-0.8 s of CPU: at
     * nice 10 and in the idle scheduling class they take only CPU that nothing else wants. Not in a session of its own:
     * with the kernel's autogroups (on by default) a new session is a new group that gets as much CPU as repmgrd's, and
     * its nice counts only inside it (kill -9 of the primary on the lab: the hook took 1.8 s instead of 0.6 s from its
     * call to the promotion while the events' JVMs ran beside it). util-linux's chrt is on every Debian; where it is
     * missing, nice alone.
     */
    public static String eventHook(Path agent, Path errorLog, String header) {
        return "#!/bin/sh\n"
                + "# " + header + "\n"
                + "# repmgr's event_notification_command, in the background so repmgrd never waits for a JVM start, and\n"
                + "# at idle priority so its JVM yields the CPU to a promotion on this node.\n"
                + "idle=\"\"; command -v chrt >/dev/null 2>&1 && idle=\"chrt --idle 0\"\n"
                + "PGFLIP_CALLED_AT=$(date +%s%3N) $idle nice -n 10 " + agent + " event \"$@\" >/dev/null 2>>" + errorLog
                + " </dev/null &\n";
    }
}
