package dev.pgflip.agent.status;

import java.util.Optional;

/**
 * Something that needs attention: a stable {@code code} for scripts, the node it is about, what was found, and what to
 * do.
 */
public record Problem(String code, Optional<String> node, String message, String fix) {
    public static final String CLUSTER_UNREADABLE = "cluster_unreadable";
    public static final String NO_PRIMARY = "no_primary";
    public static final String SEVERAL_WRITABLE = "several_writable";
    public static final String NODE_UNREACHABLE = "node_unreachable";
    public static final String FENCED_PRIMARY = "fenced_primary";
    public static final String FENCED_NODE = "fenced_node";
    public static final String FLIP_NOT_ON_PRIMARY = "flip_not_on_primary";
    public static final String FLIP_UNKNOWN = "flip_unknown";
    public static final String FLIP_VIEWS_DISAGREE = "flip_views_disagree";
    public static final String NOT_STREAMING = "not_streaming";
    public static final String SYNC_EXPECTED_ASYNC = "sync_expected_async";
    public static final String WATCH_NOT_ALIVE = "watch_not_alive";
    public static final String REPMGRD_NOT_LOOKING = "repmgrd_not_looking";
    public static final String REPMGRD_STALLED = "repmgrd_stalled";
    public static final String WITNESS_NOT_FOLLOWING = "witness_not_following";

    static Problem of(String code, String node, String message, String fix) {
        return new Problem(code, Optional.of(node), message, fix);
    }

    static Problem cluster(String code, String message, String fix) {
        return new Problem(code, Optional.empty(), message, fix);
    }
}
