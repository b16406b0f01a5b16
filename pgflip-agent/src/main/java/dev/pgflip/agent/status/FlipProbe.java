package dev.pgflip.agent.status;

import dev.pgflip.agent.config.AgentConfig;
import dev.pgflip.agent.config.ProviderKind;
import dev.pgflip.agent.db.RepmgrNode;
import dev.pgflip.agent.digitalocean.DigitalOceanClient;
import dev.pgflip.agent.digitalocean.DigitalOceanConfig;
import dev.pgflip.agent.digitalocean.Droplet;
import dev.pgflip.agent.digitalocean.FloatingIp;
import dev.pgflip.agent.digitalocean.MetadataClient;
import dev.pgflip.agent.digitalocean.RetryPolicy;
import dev.pgflip.agent.digitalocean.TokenSource;
import dev.pgflip.agent.provider.FlipProviders;
import dev.pgflip.agent.provider.FlipStatus;
import dev.pgflip.agent.time.Deadline;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Who holds the floating IP, read-only: for {@code digitalocean} the API (as {@code pgflip flip status}) and this
 * droplet's metadata service, for {@code local} this host's interfaces (the provider's status), for {@code exec}
 * nobody can tell. Every call has a budget of its own; a failure becomes an unknown holder with its reason, never an
 * exception, and never shows the token.
 */
public final class FlipProbe {
    private static final Duration API_BUDGET = Duration.ofSeconds(5);
    private static final Duration METADATA_BUDGET = Duration.ofSeconds(2);

    private final AgentConfig config;
    private final Map<String, String> env;

    public FlipProbe(AgentConfig config, Map<String, String> env) {
        this.config = config;
        this.env = Map.copyOf(env);
    }

    /** @param nodes repmgr.nodes, to name the node on the holder's droplet */
    public FlipView look(List<RepmgrNode> nodes) {
        String ip = config.requireFlip().ip();
        ProviderKind provider = config.requireFlip().provider();
        String self = config.requireNode().name();
        switch (provider) {
            case DIGITALOCEAN: {
                DigitalOceanConfig doc = config.requireDigitalOcean();
                MetadataClient metadata = new MetadataClient(doc.metadataUrl(), doc.requestTimeout(), RetryPolicy.defaults());
                OptionalLong selfDroplet = selfDroplet(metadata);
                FlipView.Metadata seen = metadata(metadata, doc);
                return new FlipView(ip, provider.key(), apiHolder(doc, ip, self, selfDroplet, nodes), Optional.of(seen),
                        selfDroplet);
            }
            case LOCAL:
                return new FlipView(ip, provider.key(), localHolder(self), Optional.empty(), config.requireNode().dropletId());
            default:
                return new FlipView(ip, provider.key(), FlipView.Holder.unknown("the exec provider cannot tell who holds"
                        + " the address"), Optional.empty(), config.requireNode().dropletId());
        }
    }

    private OptionalLong selfDroplet(MetadataClient metadata) {
        OptionalLong configured = config.requireNode().dropletId();
        if (configured.isPresent()) {
            return configured;
        }
        try {
            return OptionalLong.of(metadata.dropletId(Deadline.after(METADATA_BUDGET)));
        } catch (RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    private static FlipView.Metadata metadata(MetadataClient metadata, DigitalOceanConfig doc) {
        try {
            Optional<String> active = metadata.activeFloatingIp(doc.resource(), Deadline.after(METADATA_BUDGET));
            return FlipView.Metadata.answered(active.isPresent(), active);
        } catch (RuntimeException e) {
            return FlipView.Metadata.unknown(String.valueOf(e.getMessage()));
        }
    }

    private FlipView.Holder apiHolder(DigitalOceanConfig doc, String ip, String self, OptionalLong selfDroplet,
            List<RepmgrNode> nodes) {
        try {
            DigitalOceanClient api = DigitalOceanClient.create(doc, TokenSource.load(doc.tokenFile(), env));
            FloatingIp flip = api.getFloatingIp(ip, Deadline.after(API_BUDGET));
            if (flip.dropletId().isEmpty()) {
                return FlipView.Holder.nobody(flip.locked());
            }
            long holder = flip.dropletId().getAsLong();
            return FlipView.Holder.droplet(holder, flip.dropletName(),
                    nodeOn(api, holder, flip.dropletName(), self, selfDroplet, nodes), flip.locked());
        } catch (RuntimeException e) {
            return FlipView.Holder.unknown("cannot read the " + doc.resource().displayName() + " " + ip + ": "
                    + e.getMessage());
        }
    }

    /** This node by its droplet id, else a node named like the droplet, else one listening on one of its addresses. */
    private static Optional<String> nodeOn(DigitalOceanClient api, long holder, Optional<String> dropletName,
            String self, OptionalLong selfDroplet, List<RepmgrNode> nodes) {
        if (selfDroplet.isPresent() && selfDroplet.getAsLong() == holder) {
            return Optional.of(self);
        }
        Optional<String> byName = dropletName.flatMap(name -> nodes.stream().map(RepmgrNode::name)
                .filter(name::equals).findFirst());
        if (byName.isPresent()) {
            return byName;
        }
        try {
            Droplet droplet = api.getDroplet(holder, Deadline.after(API_BUDGET));
            return nodes.stream().filter(n -> n.conninfo().host().map(droplet::isHost).orElse(false))
                    .map(RepmgrNode::name).findFirst();
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private FlipView.Holder localHolder(String self) {
        try {
            FlipStatus status = FlipProviders.create(config, FlipProviders.self(config, Deadline.after(METADATA_BUDGET)),
                    env).status();
            return status.onThisNode().map(here -> FlipView.Holder.local(here, Optional.of(self)))
                    .orElseGet(() -> FlipView.Holder.unknown("the local provider did not say"));
        } catch (RuntimeException e) {
            return FlipView.Holder.unknown(String.valueOf(e.getMessage()));
        }
    }
}
