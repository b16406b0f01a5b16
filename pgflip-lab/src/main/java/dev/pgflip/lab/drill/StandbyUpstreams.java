package dev.pgflip.lab.drill;

import dev.pgflip.lab.Deadline;
import dev.pgflip.lab.Lab;
import dev.pgflip.lab.LabNode;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where each standby that was not promoted streams from after a failover, asked of the standby itself
 * ({@code pg_stat_wal_receiver}): repmgrd's follow_command must have pointed it at the new primary. Waits (bounded)
 * for every one of them to stream from the new primary, since the follow runs only after the promotion completed.
 */
final class StandbyUpstreams {
    static final Duration FOLLOW_WAIT = Duration.ofSeconds(30);

    private StandbyUpstreams() {
    }

    /**
     * Each of {@code others}' upstream by node name (the address it streams from when no lab node has it; "none" when
     * its walreceiver is not streaming; "unreachable" when it does not answer), once all stream from {@code primary}
     * or {@link #FOLLOW_WAIT} passed.
     */
    static Map<String, String> await(Lab lab, LabNode primary, List<LabNode> others) throws InterruptedException {
        Deadline deadline = Deadline.after(FOLLOW_WAIT);
        while (true) {
            Map<String, String> upstreams = new LinkedHashMap<>();
            others.forEach(o -> upstreams.put(o.name(), upstream(lab, o)));
            if (upstreams.values().stream().allMatch(primary.name()::equals) || deadline.expired()) {
                return upstreams;
            }
            Thread.sleep(250);
        }
    }

    private static String upstream(Lab lab, LabNode standby) {
        try {
            return lab.streamingFrom(standby).map(host -> lab.topology().nodes().stream()
                    .filter(n -> n.address().equals(host)).map(LabNode::name).findFirst().orElse(host)).orElse("none");
        } catch (SQLException e) {
            return "unreachable";
        }
    }
}
