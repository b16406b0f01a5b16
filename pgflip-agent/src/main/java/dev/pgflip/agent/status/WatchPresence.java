package dev.pgflip.agent.status;

import java.time.Duration;
import java.util.OptionalLong;

/**
 * How {@code pgflip status} sees from any node that {@code pgflip watch} is alive on a node: the watch keeps one
 * session on its own node's PostgreSQL for its role check (asked every {@code --interval}, 100 ms by default) under the
 * application_name {@code pgflip-watch:<node name>}. Its other sessions (to the peers, to the witness) keep the plain
 * {@code pgflip-watch}, so a session of the primary's watch on a standby is never mistaken for the standby's own.
 * The session ends with the process; a watch that is stopped or hung leaves it idle.
 */
public final class WatchPresence {
    /**
     * Longer than the longest a healthy watch goes without a role check: one floating-IP assign (its budget is 60 s)
     * runs on the loop's thread.
     */
    public static final Duration STALL_AFTER = Duration.ofSeconds(90);

    private static final String PREFIX = "pgflip-watch:";

    private WatchPresence() {}

    /** The application_name of the watch's role-check session on {@code node}'s own PostgreSQL. */
    public static String applicationName(String node) {
        return PREFIX + node;
    }

    /** What the watch looks like on a node that answered. */
    public enum State {
        /** Its role-check session is there and asked within {@link #STALL_AFTER}. */
        ALIVE,
        /** Its session is there but idle for longer than {@link #STALL_AFTER}: the process is stopped or hung. */
        STALLED,
        /** No session: the watch does not run (or its node.database points elsewhere). */
        ABSENT,
        /** The node did not answer. */
        UNKNOWN,
        /** A witness: pgflip watch runs on the data nodes only. */
        NOT_EXPECTED;

        /** As printed and in JSON: alive, stalled, absent, unknown, not_expected. */
        public String key() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * @param sessions the node's sessions under {@link #applicationName}
     * @param idleSeconds seconds since the freshest of them last changed state, empty without a session
     */
    public static State judge(int sessions, OptionalLong idleSeconds) {
        if (sessions == 0) {
            return State.ABSENT;
        }
        return idleSeconds.isPresent() && idleSeconds.getAsLong() > STALL_AFTER.toSeconds() ? State.STALLED : State.ALIVE;
    }
}
