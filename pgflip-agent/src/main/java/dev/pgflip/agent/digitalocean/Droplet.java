package dev.pgflip.agent.digitalocean;

import java.util.List;

/** The few droplet facts the agent uses; {@code ipv4Addresses} are those of {@code networks.v4} (public and private). */
public record Droplet(long id, String name, String status, String regionSlug, List<String> ipv4Addresses) {
    public Droplet {
        ipv4Addresses = List.copyOf(ipv4Addresses);
    }

    /** Whether this droplet is the host {@code host} names: one of its addresses, or its name. */
    public boolean isHost(String host) {
        return ipv4Addresses.contains(host) || name.equals(host);
    }
}
