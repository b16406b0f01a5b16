package dev.pgflip.agent.doctor;

import java.util.List;
import java.util.Optional;

/** Every node of repmgr.nodes with the role it answered: who is primary right now. */
record ClusterView(List<ClusterMember> members) {
    ClusterView {
        members = List.copyOf(members);
    }

    List<ClusterMember> primaries() {
        return members.stream().filter(ClusterMember::isPrimary).toList();
    }

    /** The one primary; empty when none answers as primary or when more than one does. */
    Optional<ClusterMember> primary() {
        List<ClusterMember> primaries = primaries();
        return primaries.size() == 1 ? Optional.of(primaries.get(0)) : Optional.empty();
    }

    Optional<ClusterMember> local() {
        return members.stream().filter(ClusterMember::local).findFirst();
    }

    long dataNodes() {
        return members.stream().filter(m -> !m.type().equals(ClusterMember.WITNESS)).count();
    }
}
