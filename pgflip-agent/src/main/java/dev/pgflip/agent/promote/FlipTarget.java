package dev.pgflip.agent.promote;

import dev.pgflip.agent.provider.FlipProvider;
import dev.pgflip.agent.provider.NodeIdentity;

/** Where the floating IP goes (this node, with its droplet id) and who moves it. */
public record FlipTarget(NodeIdentity self, FlipProvider provider) {}
