package dev.pgflip.agent.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code node.database}: the local node's connection for the role check. Without {@code password_file} pgjdbc
 * reads a pgpass file (PGPASSFILE or ~/.pgpass) itself.
 */
public record DatabaseConfig(String host, int port, String dbname, String user, Optional<Path> passwordFile) {}
