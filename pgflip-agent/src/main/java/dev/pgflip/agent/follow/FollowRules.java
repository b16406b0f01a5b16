package dev.pgflip.agent.follow;

import dev.pgflip.agent.ExitCode;
import dev.pgflip.agent.PgflipException;
import dev.pgflip.agent.db.Conninfo;
import dev.pgflip.agent.db.RepmgrNode;
import dev.pgflip.agent.db.RepmgrNodes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Collectors;

/**
 * What {@code pgflip follow} decides, without doing anything: which node may be followed at all, and whether what it
 * answered means follow it now, ask again, or give up. Only a writable primary is followed. A node in recovery has not
 * finished its promotion (or was fenced in recovery); one that is read-only for a new session carries pgflip's fence,
 * put up on a primary that may be the losing side of a split: following either would stream from a node that may be
 * thrown away, so the follow waits for a writable primary and, if none comes, changes nothing.
 */
public final class FollowRules {
    /** What to do after one answer. */
    public enum Step {
        FOLLOW,
        /** Ask again in a moment: the promotion may not have finished yet. */
        WAIT,
        /** The wait is over without a writable primary: change nothing. */
        GIVE_UP
    }

    private FollowRules() {}

    /**
     * The node to follow, as this node's repmgr.nodes records it.
     *
     * @param self this node's name ({@code node.name}, repmgr's node_name)
     * @throws PgflipException {@link ExitCode#USAGE} when there is no such node, it is this node or the witness, or its
     *     conninfo names no host
     */
    public static RepmgrNode upstream(RepmgrNodes nodes, int id, String self) {
        RepmgrNode node = nodes.withId(id).orElseThrow(() -> new PgflipException(ExitCode.USAGE, "node " + id
                + " is not in this node's repmgr.nodes, which has " + known(nodes) + ": nothing was changed (check the"
                + " --upstream-node-id given, repmgrd passes its %n)"));
        if (node.name().equals(self)) {
            throw new PgflipException(ExitCode.USAGE, "node " + id + " (" + node.name() + ") is this node: a node"
                    + " cannot follow itself; nothing was changed");
        }
        if (!node.holdsData()) {
            throw new PgflipException(ExitCode.USAGE, "node " + id + " (" + node.name() + ") is the witness, which"
                    + " holds no data to stream: nothing was changed");
        }
        if (node.conninfo().host().isEmpty() || node.conninfo().port().isEmpty()) {
            throw new PgflipException(ExitCode.USAGE, "node " + id + " (" + node.name() + ")'s conninfo in repmgr.nodes"
                    + " names no host or no numeric port (" + node.conninfo() + "): nothing was changed");
        }
        return node;
    }

    /** @param timeLeft whether the wait's deadline has not passed yet */
    public static Step next(UpstreamAnswer answer, boolean timeLeft) {
        if (answer.kind() == UpstreamAnswer.Kind.WRITABLE_PRIMARY) {
            return Step.FOLLOW;
        }
        return timeLeft ? Step.WAIT : Step.GIVE_UP;
    }

    /** The message of {@link Step#GIVE_UP}: what the node answered last, that nothing changed, what to do. */
    public static String gaveUp(RepmgrNode upstream, UpstreamAnswer last, Duration wait, Path repmgrConf) {
        return describe(upstream) + " did not answer as a writable primary within " + seconds(wait) + ": it was last "
                + last.describe() + "; nothing was changed. Once the primary is known (pgflip status), follow it by"
                + " hand: repmgr -f " + repmgrConf + " standby follow --upstream-node-id=<its node id>";
    }

    /** {@code n2 (node 2) at 198.18.0.12:5432}. */
    public static String describe(RepmgrNode node) {
        return node.name() + " (node " + node.id() + ") at " + address(node.conninfo());
    }

    static String address(Conninfo where) {
        String host = where.host().orElse("?");
        String port = where.port().isPresent() ? String.valueOf(where.port().getAsInt()) : "?";
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    private static String known(RepmgrNodes nodes) {
        if (nodes.all().isEmpty()) {
            return "no nodes at all (is this node registered? repmgr cluster show)";
        }
        return nodes.all().stream()
                .map(n -> n.id() + " (" + n.name() + (n.holdsData() ? "" : ", witness") + ")")
                .collect(Collectors.joining(", "));
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }
}
