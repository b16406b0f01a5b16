package dev.pgflip.agent.digitalocean;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * A floating (reserved) IP: who holds it, whether an action is running on it, and its region.
 *
 * @param dropletName name of the holder when the API embeds the droplet
 */
public record FloatingIp(String ip, OptionalLong dropletId, Optional<String> dropletName, boolean locked, String regionSlug) {

    public boolean isHeldBy(long droplet) {
        return dropletId.isPresent() && dropletId.getAsLong() == droplet;
    }
}
