package dev.pgflip.agent.promote;

import java.util.OptionalLong;

/**
 * The commands an operator runs to move the floating IP by hand, spelled out in the messages that ask for it.
 *
 * @param ip the floating IP, for the messages
 * @param configFile the agent's config file as the hook was given it
 */
public record FlipByHand(String ip, String configFile) {

    /**
     * Moves the IP here with whichever provider is configured, and verifies it: works for every provider and needs no
     * droplet id (the metadata service is asked, as the hook does).
     */
    public String moveHere() {
        return "pgflip promote --skip-promote --config " + configFile;
    }

    /** The API call itself, for when {@link #moveHere()} is what just failed. */
    public String assign(OptionalLong dropletId) {
        return "pgflip flip assign " + (dropletId.isPresent() ? dropletId.getAsLong() : "<droplet-id>") + " --config "
                + configFile;
    }
}
