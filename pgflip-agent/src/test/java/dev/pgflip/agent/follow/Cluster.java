package dev.pgflip.agent.follow;

import dev.pgflip.agent.db.Conninfo;
import dev.pgflip.agent.db.RepmgrNode;
import dev.pgflip.agent.db.RepmgrNodes;
import java.util.List;
import java.util.OptionalInt;

/**
 * repmgr.nodes as standby n3 has it right after n1 failed and n2 was promoted: its copy still says n2 is a standby of
 * n1 (it streamed from n1, so nothing newer reached it), which is why the follow asks n2 itself.
 */
final class Cluster {
    static final RepmgrNode N1 = node(1, "n1", RepmgrNode.Type.PRIMARY, "host=198.18.0.11 port=5432", OptionalInt.empty());
    static final RepmgrNode N2 = node(2, "n2", RepmgrNode.Type.STANDBY,
            "host=198.18.0.12 port=5432 user=repmgr dbname=repmgr password=s3cret", OptionalInt.of(1));
    static final RepmgrNode N3 = node(3, "n3", RepmgrNode.Type.STANDBY, "host=198.18.0.13 port=5432", OptionalInt.of(1));
    static final RepmgrNode WITNESS = node(4, "w", RepmgrNode.Type.WITNESS, "host=198.18.0.14", OptionalInt.empty());
    static final RepmgrNodes NODES = new RepmgrNodes(List.of(N1, N2, N3, WITNESS));

    private Cluster() {}

    static RepmgrNode node(int id, String name, RepmgrNode.Type type, String conninfo, OptionalInt upstream) {
        return new RepmgrNode(id, name, type, true, Conninfo.parse(conninfo), upstream);
    }
}
