package dev.pgflip.agent.status;

import dev.pgflip.agent.db.RepmgrNode;
import java.util.Optional;

/** A node of repmgr.nodes and what it answered, or why it did not. */
public record NodeReply(RepmgrNode node, Optional<NodeAnswer> answer, String error) {
    public static NodeReply answered(RepmgrNode node, NodeAnswer answer) {
        return new NodeReply(node, Optional.of(answer), "");
    }

    public static NodeReply unreachable(RepmgrNode node, String why) {
        return new NodeReply(node, Optional.empty(), why);
    }
}
