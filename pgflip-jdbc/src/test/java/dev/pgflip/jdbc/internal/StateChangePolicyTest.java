package dev.pgflip.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgflip.jdbc.internal.StateChangePolicy.PoolAction;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class StateChangePolicyTest {

    @ParameterizedTest(name = "{0} {1} -> {2}: {3}")
    @CsvSource(delimiter = '|', textBlock = """
            # role | previous      | current       | actions
            WRITER | UNKNOWN       | PRIMARY       | RETIRE_DIRECT_POOLS
            WRITER | UNKNOWN       | DOWN          | MARK_DOWN
            WRITER | PRIMARY       | DOWN          | MARK_DOWN EVICT_IDLE ABORT_IN_FLIGHT WARM_DIRECT_POOLS
            WRITER | PRIMARY       | STALE_PRIMARY | MARK_DOWN EVICT_IDLE ABORT_IN_FLIGHT WARM_DIRECT_POOLS
            WRITER | PRIMARY       | STANDBY       | MARK_DOWN EVICT_IDLE WARM_DIRECT_POOLS
            WRITER | PRIMARY       | READ_ONLY     | MARK_DOWN EVICT_IDLE WARM_DIRECT_POOLS
            WRITER | PRIMARY       | LAGGING       | MARK_DOWN WARM_DIRECT_POOLS
            WRITER | DOWN          | PRIMARY       | RENEW_IF_STALE COUNT_FAILOVER RETIRE_DIRECT_POOLS
            WRITER | READ_ONLY     | PRIMARY       | RENEW_IF_STALE COUNT_FAILOVER RETIRE_DIRECT_POOLS
            WRITER | STALE_PRIMARY | PRIMARY       | RENEW_IF_STALE COUNT_FAILOVER RETIRE_DIRECT_POOLS
            WRITER | DOWN          | STANDBY       | MARK_DOWN
            WRITER | STANDBY       | DOWN          | MARK_DOWN
            READER | UNKNOWN       | STANDBY       |
            READER | UNKNOWN       | DOWN          | MARK_DOWN
            READER | STANDBY       | DOWN          | MARK_DOWN EVICT_IDLE ABORT_IN_FLIGHT
            READER | STANDBY       | LAGGING       | MARK_DOWN
            READER | LAGGING       | STANDBY       | RENEW_IF_STALE
            READER | DOWN          | STANDBY       | RENEW_IF_STALE
            READER | STANDBY       | PRIMARY       |
            READER | PRIMARY       | STANDBY       | EVICT_IDLE_DIRECT
            READER | PRIMARY       | READ_ONLY     | EVICT_IDLE_DIRECT
            READER | PRIMARY       | DOWN          | MARK_DOWN EVICT_IDLE ABORT_IN_FLIGHT EVICT_IDLE_DIRECT ABORT_IN_FLIGHT_DIRECT
            READER | PRIMARY       | STALE_PRIMARY | MARK_DOWN EVICT_IDLE ABORT_IN_FLIGHT EVICT_IDLE_DIRECT ABORT_IN_FLIGHT_DIRECT
            READER | STALE_PRIMARY | PRIMARY       | RENEW_IF_STALE
            """)
    void eachTransitionMapsToItsPoolActions(Role role, HostState previous, HostState current, String actions) {
        assertThat(StateChangePolicy.actions(role, previous, current)).isEqualTo(parse(actions));
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void onlyAHostGoneSilentOrStaleHasItsSessionsCut(Role role) {
        for (HostState previous : HostState.values()) {
            for (HostState current : HostState.values()) {
                Set<PoolAction> actions = StateChangePolicy.actions(role, previous, current);
                boolean cuts = actions.contains(PoolAction.ABORT_IN_FLIGHT)
                        || actions.contains(PoolAction.ABORT_IN_FLIGHT_DIRECT);
                if (current != HostState.DOWN && current != HostState.STALE_PRIMARY) {
                    assertThat(cuts).as(role + " " + previous + " -> " + current).isFalse();
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void directPoolsAreRetiredOrWarmedOnlyOnTheWritersChanges(Role role) {
        for (HostState previous : HostState.values()) {
            for (HostState current : HostState.values()) {
                Set<PoolAction> actions = StateChangePolicy.actions(role, previous, current);
                assertThat(actions.contains(PoolAction.RETIRE_DIRECT_POOLS) && actions.contains(PoolAction.WARM_DIRECT_POOLS))
                        .as("never both").isFalse();
                if (role == Role.READER) {
                    assertThat(actions).doesNotContain(PoolAction.RETIRE_DIRECT_POOLS, PoolAction.WARM_DIRECT_POOLS,
                            PoolAction.COUNT_FAILOVER);
                }
            }
        }
    }

    private static Set<PoolAction> parse(String actions) {
        if (actions == null || actions.isBlank()) {
            return EnumSet.noneOf(PoolAction.class);
        }
        return Arrays.stream(actions.trim().split("\\s+")).map(PoolAction::valueOf)
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(PoolAction.class)));
    }
}
