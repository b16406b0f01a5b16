package dev.pgflip.jdbc.internal;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * What a host's change of state means for the pools: a pure function of (role, previous state, current state) to a set
 * of {@link PoolAction}s, carried out by {@link PoolReactions}. Its unit test lists the transitions as a table.
 */
public final class StateChangePolicy {

    /** What is done to the pools, in this order (an EnumSet iterates in it). */
    public enum PoolAction {
        /** The host is not usable in its role: its next recovery needs a fresh pool. */
        MARK_DOWN,
        /** It stopped being usable: drop the idle connections of its pool (logged with the number aborted). */
        EVICT_IDLE,
        /** ... and abort the ones lent, so callers fail now rather than hang or write where writes are lost. */
        ABORT_IN_FLIGHT,
        /** It is usable again after an outage: a fresh pool, unless a prewarm already made one. */
        RENEW_IF_STALE,
        /** The writer is writable again after being unusable: count a failover. */
        COUNT_FAILOVER,
        /** The write endpoint leads to a primary: writes go through it, the direct pools close when idle. */
        RETIRE_DIRECT_POOLS,
        /** The write endpoint stopped leading to a primary: open a connection to each standby, the next primary. */
        WARM_DIRECT_POOLS,
        /** A host of the read list stopped being a writable primary: drop the idle connections of its direct pool. */
        EVICT_IDLE_DIRECT,
        /** ... and abort the direct connections it has lent. */
        ABORT_IN_FLIGHT_DIRECT
    }

    private StateChangePolicy() {
    }

    public static Set<PoolAction> actions(Role role, HostState previous, HostState current) {
        boolean wasUsable = usable(role, previous);
        boolean isUsable = usable(role, current);
        Set<PoolAction> actions = EnumSet.noneOf(PoolAction.class);
        if (!isUsable) {
            actions.add(PoolAction.MARK_DOWN);
        }
        // LAGGING still answers and its sessions are fine, only too far behind for new reads: nothing is evicted.
        if (wasUsable && !isUsable && current != HostState.LAGGING) {
            actions.add(PoolAction.EVICT_IDLE);
            if (cutsSessions(current)) {
                actions.add(PoolAction.ABORT_IN_FLIGHT);
            }
        } else if (isUsable && !wasUsable && previous != HostState.UNKNOWN) {
            actions.add(PoolAction.RENEW_IF_STALE);
            if (role == Role.WRITER) {
                actions.add(PoolAction.COUNT_FAILOVER);
            }
        }
        if (role == Role.WRITER && isUsable) {
            actions.add(PoolAction.RETIRE_DIRECT_POOLS);
        } else if (role == Role.WRITER && wasUsable) {
            actions.add(PoolAction.WARM_DIRECT_POOLS);
        } else if (role == Role.READER && previous.writable() && !current.writable()) {
            actions.add(PoolAction.EVICT_IDLE_DIRECT);
            if (cutsSessions(current)) {
                actions.add(PoolAction.ABORT_IN_FLIGHT_DIRECT);
            }
        }
        return Collections.unmodifiableSet(actions);
    }

    private static boolean usable(Role role, HostState state) {
        return role == Role.WRITER ? state.writable() : state.readable();
    }

    /**
     * Whether a host in this state gets its lent connections aborted. Aborting is for a host that stopped answering:
     * its callers would hang. A read-only server (STANDBY or READ_ONLY behind the writer) answers at once with 25006, so
     * its sessions fail on their own and are closed when returned (soft eviction) instead of being cut mid-read. A
     * stale primary answers, and would take writes that its rejoin throws away: its sessions are cut too.
     */
    static boolean cutsSessions(HostState state) {
        return state == HostState.DOWN || state == HostState.STALE_PRIMARY;
    }
}
