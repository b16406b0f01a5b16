package dev.pgflip.agent.provider;

import dev.pgflip.agent.config.AgentConfig;
import dev.pgflip.agent.config.FlipConfig;
import dev.pgflip.agent.digitalocean.ApiCallListener;
import dev.pgflip.agent.digitalocean.DigitalOceanClient;
import dev.pgflip.agent.digitalocean.DigitalOceanConfig;
import dev.pgflip.agent.digitalocean.MetadataClient;
import dev.pgflip.agent.digitalocean.RetryPolicy;
import dev.pgflip.agent.digitalocean.TokenSource;
import dev.pgflip.agent.process.ProcessRunner;
import dev.pgflip.agent.time.Deadline;
import dev.pgflip.agent.time.Sleeper;
import java.util.Map;
import java.util.OptionalLong;

/** Builds the configured {@link FlipProvider} and works out who "this node" is. */
public final class FlipProviders {
    private FlipProviders() {}

    /**
     * This node's identity. The droplet id comes from {@code node.droplet_id}, else, for the digitalocean
     * provider only, from the metadata service.
     */
    public static NodeIdentity self(AgentConfig config, Deadline deadline) {
        var node = config.requireNode();
        OptionalLong dropletId = node.dropletId();
        boolean needsDroplet = config.flip().map(f -> f.provider() == dev.pgflip.agent.config.ProviderKind.DIGITALOCEAN).orElse(false);
        if (dropletId.isEmpty() && needsDroplet) {
            DigitalOceanConfig doc = config.requireDigitalOcean();
            MetadataClient metadata = new MetadataClient(doc.metadataUrl(), doc.requestTimeout(), RetryPolicy.defaults());
            dropletId = OptionalLong.of(metadata.dropletId(deadline));
        }
        return new NodeIdentity(node.name(), dropletId);
    }

    /** Fails now (exit 2) on a missing or unsafe token, before anything is changed; the token is not kept. */
    public static void checkCredentials(AgentConfig config, Map<String, String> env) {
        if (config.requireFlip().provider() == dev.pgflip.agent.config.ProviderKind.DIGITALOCEAN) {
            TokenSource.load(config.requireDigitalOcean().tokenFile(), env);
        }
    }

    public static FlipProvider create(AgentConfig config, NodeIdentity self, Map<String, String> env) {
        return create(config, self, env, ApiCallListener.NONE);
    }

    /** @param apiCalls told of every request to DigitalOcean's API (the other providers make none) */
    public static FlipProvider create(AgentConfig config, NodeIdentity self, Map<String, String> env,
            ApiCallListener apiCalls) {
        FlipConfig flip = config.requireFlip();
        switch (flip.provider()) {
            case DIGITALOCEAN:
                DigitalOceanConfig doc = config.requireDigitalOcean();
                DigitalOceanClient api = DigitalOceanClient.create(doc, TokenSource.load(doc.tokenFile(), env),
                        apiCalls);
                return new DigitalOceanFlipProvider(api, flip.ip(), doc.pollInterval(), Sleeper.SYSTEM);
            case LOCAL:
                return new LocalFlipProvider(config.requireLocal(), flip.ip(), new ProcessRunner());
            case EXEC:
                return new ExecFlipProvider(config.requireExec(), flip.ip(), self, new ProcessRunner());
            default:
                throw new IllegalArgumentException(flip.provider().name());
        }
    }
}
