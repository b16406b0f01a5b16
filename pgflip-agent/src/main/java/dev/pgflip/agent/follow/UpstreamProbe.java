package dev.pgflip.agent.follow;

import dev.pgflip.agent.db.RepmgrNode;

/** Asks the node to follow what it is, in a new session. Returns within about a second; never throws for a dead node. */
@FunctionalInterface
public interface UpstreamProbe {
    UpstreamAnswer ask(RepmgrNode node);
}
