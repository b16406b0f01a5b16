package dev.pgflip.agent.provider;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * Where the IP is. The DigitalOcean provider fills the droplet fields; the local provider only knows whether
 * the address is on this node ({@code onThisNode}); the exec provider knows nothing.
 */
public record FlipStatus(
        String ip,
        OptionalLong dropletId,
        Optional<String> dropletName,
        boolean locked,
        Optional<String> region,
        Optional<Boolean> onThisNode) {

    public static FlipStatus unknown(String ip) {
        return new FlipStatus(ip, OptionalLong.empty(), Optional.empty(), false, Optional.empty(), Optional.empty());
    }
}
