package dev.pgflip.agent.packaging;

import java.nio.file.Path;

/** Where the {@code pgflip-agent} Debian package puts things on a node: one list for the build, doctor and the docs. */
public final class DebianLayout {
    public static final Path JAVA = Path.of("/usr/bin/java");
    public static final Path LAUNCHER = Path.of("/usr/bin/pgflip");
    public static final Path PROMOTE_HOOK = Path.of("/usr/bin/pgflip-promote");
    public static final Path EVENT_HOOK = Path.of("/usr/bin/pgflip-event");
    public static final Path JAR = Path.of("/usr/share/pgflip/pgflip-agent.jar");
    public static final Path CONFIG = Path.of("/etc/pgflip/agent.yaml");
    public static final Path STATE_DIR = Path.of("/var/lib/pgflip");
    public static final Path CLASS_DATA_ARCHIVE = STATE_DIR.resolve("pgflip.jsa");
    public static final Path FENCE_STATE = STATE_DIR.resolve("fence.state");
    public static final Path LOG_DIR = Path.of("/var/log/pgflip");
    public static final Path EVENT_HOOK_LOG = LOG_DIR.resolve("event-hook.log");
    /** Debian's PostgreSQL 15: psql and repmgr (postgresql-15-repmgr) live here. */
    public static final Path PG_BIN = Path.of("/usr/lib/postgresql/15/bin");

    private DebianLayout() {}
}
