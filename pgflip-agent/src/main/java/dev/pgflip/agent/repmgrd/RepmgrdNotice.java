package dev.pgflip.agent.repmgrd;

/** Tells this node's repmgrd which node to follow, as a candidate's repmgrd tells its siblings. */
@FunctionalInterface
public interface RepmgrdNotice {
    void followPrimary(int nodeId);
}
