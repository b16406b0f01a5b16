package dev.pgflip.lab.jdbc;

import dev.pgflip.lab.LabFixture;
import dev.pgflip.lab.drill.ClusterEvents;

/** What a node's pgflip watch said when it woke its repmgrd, from the lab's events file. */
final class RepmgrdWakeUps {
    private RepmgrdWakeUps() {}

    /** The reason of the first wake-up of {@code node}'s repmgrd at or after {@code fromMs}, or "" when none. */
    static String on(LabFixture lab, String node, long fromMs) {
        return ClusterEvents.read(lab.lab().layout().eventsLog()).first("pgflip_watch_repmgrd_woken", node, fromMs)
                .map(e -> e.raw().path("reason").asText()).orElse("");
    }
}
