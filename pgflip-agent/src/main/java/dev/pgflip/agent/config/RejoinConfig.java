package dev.pgflip.agent.config;

import java.nio.file.Path;

/**
 * {@code rejoin}: what {@code pgflip rejoin} needs to run {@code repmgr node rejoin} on this node: its repmgr.conf,
 * the directory pg_rewind may park config files in, and the repmgr binary.
 */
public record RejoinConfig(Path repmgrConf, Path configArchiveDir, String repmgr) {
    public static final String DEFAULT_REPMGR = "repmgr";
}
