package dev.pgflip.agent.provider;

import java.util.OptionalLong;

/** The node the IP should go to: its repmgr name, and its droplet id when known. */
public record NodeIdentity(String name, OptionalLong dropletId) {

    @Override
    public String toString() {
        return "node=" + name + (dropletId.isPresent() ? " droplet=" + dropletId.getAsLong() : "");
    }
}
