package dev.pgflip.agent.config;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * {@code node}: who this agent is.
 *
 * @param name repmgr's node_name
 * @param dropletId the droplet id; when absent it is read from the metadata service
 * @param database how to ask the local PostgreSQL for its role
 */
public record NodeConfig(String name, OptionalLong dropletId, Optional<DatabaseConfig> database) {}
