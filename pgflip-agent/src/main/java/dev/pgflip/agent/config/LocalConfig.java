package dev.pgflip.agent.config;

import java.util.List;
import java.util.Optional;

/** {@code local}: move the address with {@code ip} on this host (or in a network namespace) + gratuitous ARP. */
public record LocalConfig(String interfaceName, Optional<String> netns, List<AddressHolder> previousHolders) {
    public LocalConfig {
        previousHolders = List.copyOf(previousHolders);
    }

    /** An interface (optionally in a namespace) the address is removed from before it is added here. */
    public record AddressHolder(Optional<String> netns, String interfaceName) {}
}
