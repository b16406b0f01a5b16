package dev.pgflip.agent.status;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * The floating IP as the provider and this droplet's metadata service see it.
 *
 * @param provider {@code flip.provider}: digitalocean, local or exec
 * @param holder who holds it by the provider (the API for digitalocean, this host's interfaces for local)
 * @param metadata this droplet's metadata service (digitalocean only): empty when not asked
 * @param selfDropletId this node's droplet id (node.droplet_id, else the metadata service), when known
 */
public record FlipView(String ip, String provider, Holder holder, Optional<Metadata> metadata, OptionalLong selfDropletId) {

    /**
     * The holder by the provider.
     *
     * @param known whether the provider could tell (false: {@code error} says why, or the exec provider, which cannot)
     * @param assigned whether any droplet holds it (digitalocean)
     * @param dropletId the holder's droplet id (digitalocean)
     * @param node the repmgr node on that droplet, when it could be matched (by droplet id, name or address)
     * @param onThisNode whether the address is on this host (local provider)
     * @param locked an action on it is in progress (digitalocean)
     */
    public record Holder(boolean known, boolean assigned, OptionalLong dropletId, Optional<String> dropletName,
                         Optional<String> node, Optional<Boolean> onThisNode, boolean locked, Optional<String> error) {

        public static Holder unknown(String why) {
            return new Holder(false, false, OptionalLong.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                    false, Optional.of(why));
        }

        public static Holder nobody(boolean locked) {
            return new Holder(true, false, OptionalLong.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                    locked, Optional.empty());
        }

        public static Holder droplet(long id, Optional<String> name, Optional<String> node, boolean locked) {
            return new Holder(true, true, OptionalLong.of(id), name, node, Optional.empty(), locked, Optional.empty());
        }

        /** The local provider: only whether the address is on this host. */
        public static Holder local(boolean here, Optional<String> thisNode) {
            return new Holder(true, here, OptionalLong.empty(), Optional.empty(), here ? thisNode : Optional.empty(),
                    Optional.of(here), false, Optional.empty());
        }
    }

    /**
     * This droplet's metadata service: whether a floating (reserved) IP is active on it, and which.
     *
     * @param active empty when the service could not be asked ({@code error} says why)
     */
    public record Metadata(Optional<Boolean> active, Optional<String> address, Optional<String> error) {
        public static Metadata unknown(String why) {
            return new Metadata(Optional.empty(), Optional.empty(), Optional.of(why));
        }

        public static Metadata answered(boolean active, Optional<String> address) {
            return new Metadata(Optional.of(active), address, Optional.empty());
        }

        /** Whether the metadata service says this droplet holds {@code ip}; empty when it could not be asked. */
        public Optional<Boolean> holds(String ip) {
            return active.map(a -> a && address.map(ip::equals).orElse(true));
        }
    }
}
