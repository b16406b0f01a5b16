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
     * repmgr's event_notification_command, detached: repmgrd runs it synchronously, and a JVM start there (0.3 s idle,
     * up to 2 s during a failover, measured on the lab) delayed its failure detection by as much. At nice 10: a
     * failover fires several events at once, and their JVM starts must not take the CPU from PostgreSQL and the warm
     * {@code pgflip watch} while they move the IP (seen on 2 cores).
     */
    public static String eventHook(Path agent, Path errorLog, String header) {
        return "#!/bin/sh\n"
                + "# " + header + "\n"
                + "# repmgr's event_notification_command, detached so repmgrd never waits for a JVM start.\n"
                + "PGFLIP_CALLED_AT=$(date +%s%3N) setsid nice -n 10 " + agent + " event \"$@\" >/dev/null 2>>" + errorLog
                + " </dev/null &\n";
    }
}
