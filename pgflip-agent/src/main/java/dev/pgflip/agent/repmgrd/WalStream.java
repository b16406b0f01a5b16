package dev.pgflip.agent.repmgrd;

import java.util.Optional;

/**
 * Whether this node receives WAL from an upstream, and from which host, as {@code pg_stat_wal_receiver} shows it.
 *
 * @param senderHost the host streamed from (primary_conninfo's), while streaming
 */
public record WalStream(State state, Optional<String> senderHost) {
    public enum State {
        /** A standby whose walreceiver streams. */
        STREAMING,
        /** A standby without a streaming walreceiver: none runs, or one is starting, waiting or stopping. */
        NOT_STREAMING,
        /** Not in recovery: a primary has no upstream to lose. */
        NOT_A_STANDBY
    }

    public static final WalStream NOT_STREAMING = new WalStream(State.NOT_STREAMING, Optional.empty());
    public static final WalStream NOT_A_STANDBY = new WalStream(State.NOT_A_STANDBY, Optional.empty());

    public static WalStream streamingFrom(String host) {
        return new WalStream(State.STREAMING, Optional.of(host));
    }

    public boolean streaming() {
        return state == State.STREAMING;
    }
}
