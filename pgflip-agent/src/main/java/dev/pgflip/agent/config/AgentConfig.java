package dev.pgflip.agent.config;

import dev.pgflip.agent.digitalocean.DigitalOceanConfig;
import java.util.Optional;

/**
 * The agent's whole configuration, immutable and validated once by {@link AgentConfigLoader}. Sections that
 * the chosen command or provider does not need may be absent; the loader has already checked that the needed
 * ones are present, so the {@code require*} accessors only fail on programming errors.
 */
public record AgentConfig(
        Optional<NodeConfig> node,
        Optional<FlipConfig> flip,
        Optional<PromoteConfig> promote,
        Optional<DigitalOceanConfig> digitalocean,
        Optional<LocalConfig> local,
        Optional<ExecConfig> exec,
        Optional<EventsConfig> events,
        Optional<ReplicationConfig> replication,
        Optional<RejoinConfig> rejoin,
        Optional<FencingConfig> fencing,
        Optional<MetricsConfig> metrics) {

    public RejoinConfig requireRejoin() {
        return require(rejoin, "rejoin");
    }

    public NodeConfig requireNode() {
        return require(node, "node");
    }

    public FlipConfig requireFlip() {
        return require(flip, "flip");
    }

    public PromoteConfig requirePromote() {
        return require(promote, "promote");
    }

    public DigitalOceanConfig requireDigitalOcean() {
        return require(digitalocean, "digitalocean");
    }

    public LocalConfig requireLocal() {
        return require(local, "local");
    }

    public ExecConfig requireExec() {
        return require(exec, "exec");
    }

    public EventsConfig requireEvents() {
        return require(events, "events");
    }

    public DatabaseConfig requireDatabase() {
        return require(requireNode().database(), "node.database");
    }

    private static <T> T require(Optional<T> section, String key) {
        return section.orElseThrow(() -> new IllegalStateException(key + " was not required when the config was loaded"));
    }
}
