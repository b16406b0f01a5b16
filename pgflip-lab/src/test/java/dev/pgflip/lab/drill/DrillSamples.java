package dev.pgflip.lab.drill;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Drill results built by hand for the renderer's tests (and to look at the page without a lab). */
public final class DrillSamples {
    private DrillSamples() {}

    /** One short run, two stacks, six 100 ms buckets from −200 ms; hikari is still down at the end. */
    public static DrillResult small(String eventName) {
        Map<String, RunResult.ClientResult> clients = new LinkedHashMap<>();
        clients.put("pgflip", new RunResult.ClientResult(180L, 120L, 180L, null, 40, 0, 3, 0, "connection refused"));
        clients.put("hikari", new RunResult.ClientResult(null, 250L, null, 260L, 20, 0, 7, 2,
                "FATAL: <the database system is shutting down> & \"more\""));
        Map<String, RunResult.Series> series = new LinkedHashMap<>();
        series.put("pgflip", new RunResult.Series(-200, 100, new int[] {8, 7, 0, 4, 9, 9},
                new int[] {0, 1, 2, 0, 0, 0}, new int[] {10, 10, 9, 10, 10, 10}, new int[] {0, 0, 0, 0, 0, 0}));
        series.put("hikari", new RunResult.Series(-200, 100, new int[] {6, 5, 0, 0, 0, 0},
                new int[] {0, 2, 3, 1, 1, 0}, new int[] {7, 3, 0, 4, 6, 7}, new int[] {0, 1, 1, 0, 0, 0}));
        List<RunResult.TimelineEntry> timeline = List.of(
                new RunResult.TimelineEntry("fault injected (kill n1)", 0L, "drill"),
                new RunResult.TimelineEntry(eventName, 95L, "repmgr event hook"),
                new RunResult.TimelineEntry("standby promoted (writable)", 130L, "pgflip agent"),
                new RunResult.TimelineEntry("assign action completed (FLIP moved)", 150L, "DigitalOcean API"),
                new RunResult.TimelineEntry("first write OK (pgflip)", 180L, "client"),
                new RunResult.TimelineEntry("first write OK (hikari)", null, "client"));
        RunResult run = new RunResult(1, "kill", "n1", "n1", "n2", "2026-11-03T14:02:11.250Z", 180L, 120L, 130L, 150L,
                null, 60, 0, true, 1, 0, Map.of("n1", 20, "n2", 41), timeline, clients, series, null, null, null, null, null);
        return DrillResult.of("kill", List.of("pgflip", "hikari"), List.of(run));
    }

    /** Runs shaped like real ones: 2 s before the fault, 6 s after, three stacks with different outages. */
    public static DrillResult realistic(int runs) {
        List<RunResult> results = new ArrayList<>();
        for (int r = 1; r <= runs; r++) {
            long jitter = 37L * r;
            long pgflip = 1_650 + jitter, hikari = 4_300 + 2 * jitter, multihost = 2_900 + jitter;
            Map<String, RunResult.ClientResult> clients = new LinkedHashMap<>();
            Map<String, RunResult.Series> series = new LinkedHashMap<>();
            long[] downs = {pgflip, hikari, multihost};
            String[] names = {"pgflip", "hikari", "multihost"};
            for (int c = 0; c < names.length; c++) {
                clients.put(names[c], new RunResult.ClientResult(downs[c], 300L + 100 * c, downs[c], 900L + c * 400,
                        500 + 10 * c, 0, 12 + c, 3, "An I/O error occurred while sending to the backend."));
                series.put(names[c], series(downs[c], c));
            }
            List<RunResult.TimelineEntry> timeline = List.of(
                    new RunResult.TimelineEntry("fault injected (kill n1)", 0L, "drill"),
                    new RunResult.TimelineEntry("repmgrd on n2 detected the primary down", 1_180 + jitter, "repmgr event hook"),
                    new RunResult.TimelineEntry("agent called (promote_command)", 1_210 + jitter, "pgflip agent"),
                    new RunResult.TimelineEntry("standby promoted (writable)", 1_420 + jitter, "pgflip agent"),
                    new RunResult.TimelineEntry("DigitalOcean assign action created", 1_440 + jitter, "DigitalOcean API"),
                    new RunResult.TimelineEntry("assign action completed (FLIP moved)", 1_560 + jitter, "DigitalOcean API"),
                    new RunResult.TimelineEntry("FLIP answering on the new primary", 1_600 + jitter, "prober"),
                    new RunResult.TimelineEntry("first write OK (pgflip)", pgflip, "client"),
                    new RunResult.TimelineEntry("first read OK after a failed one (pgflip)", null, "client"),
                    new RunResult.TimelineEntry("first write OK (hikari)", hikari, "client"),
                    new RunResult.TimelineEntry("first read OK after a failed one (hikari)", 1_300L, "client"),
                    new RunResult.TimelineEntry("first write OK (multihost)", multihost, "client"),
                    new RunResult.TimelineEntry("first read OK after a failed one (multihost)", 1_700L, "client"));
            results.add(new RunResult(r, "kill", r % 2 == 1 ? "n1" : "n2", r % 2 == 1 ? "n1" : "n2", r % 2 == 1 ? "n2" : "n1",
                    "2026-11-03T14:0" + r + ":11.250Z", pgflip, 300L, 1_420 + jitter, 1_560 + jitter, 350L,
                    1_530, 0, true, 1, 0, Map.of("n1", 20, "n2", 58), timeline, clients, series, null, null, null, null, null));
        }
        return DrillResult.of("kill", List.of("pgflip", "hikari", "multihost"), results);
    }

    /** {@code base}'s single run with the given extra figures (fault name, dual writable, API faults, hops). */
    public static RunResult variant(DrillResult base, String fault, long dualWritableMs, Integer apiErrorsInjected,
            Integer apiErrorsServed, Long apiRestoredMs, Long flipConvergedAfterRestoreMs, List<RunResult.Hop> hops) {
        RunResult r = base.runs().get(0);
        return new RunResult(r.run(), fault, r.faultNode(), r.oldPrimary(), r.newPrimary(), r.faultAt(),
                r.writeUnavailableMs(), r.readUnavailableMs(), r.promotedMs(), r.flipMovedMs(), r.agentPromoteToFlipMs(),
                r.ackedWrites(), r.lostAckedWrites(), r.flipOnNewPrimary(), r.flipMoves(), dualWritableMs, r.writableTicks(), r.timeline(), r.clients(),
                r.series(), apiErrorsInjected, apiErrorsServed, apiRestoredMs, flipConvergedAfterRestoreMs, hops);
    }

    /** {@code base}'s single run as a run of {@code fault} with the fault's own steps and checks (issue 13). */
    public static RunResult withChecks(DrillResult base, int number, String fault, Map<String, Long> phases,
            Integer apiCallsDelayed, List<RunResult.Check> checks) {
        RunResult r = base.runs().get(0);
        return new RunResult(number, fault, r.faultNode(), r.oldPrimary(), r.newPrimary(), r.faultAt(),
                r.writeUnavailableMs(), r.readUnavailableMs(), r.promotedMs(), r.flipMovedMs(), r.agentPromoteToFlipMs(),
                r.ackedWrites(), r.lostAckedWrites(), r.flipOnNewPrimary(), r.flipMoves(), r.dualWritableMs(),
                r.writableTicks(), r.timeline(), r.clients(), r.series(), null, null, null, null, null, phases,
                apiCallsDelayed, checks);
    }

    /** One run of each: kill (clean), partition (1.2 s dual writable), api-down (FLIP 3.1 s after the API), failback. */
    public static DrillSuite suite() {
        DrillResult kill = realistic(1);
        List<String> clients = kill.clients();
        DrillResult partition = DrillResult.of("partition", clients,
                List.of(variant(kill, "partition", 1_200, null, null, null, null, null)));
        DrillResult apiDown = DrillResult.of("api-down", clients,
                List.of(variant(kill, "api-down", 0, null, null, 15_040L, 3_100L, null)));
        List<RunResult.Hop> hops = List.of(
                new RunResult.Hop(1, "n1", "n2", 0, 1_700L, 1_400L, 1_550L, 14_000L, 300, 0, 0, true,
                        Map.of("pgflip", 1_700L)),
                new RunResult.Hop(2, "n2", "n1", 21_000, 1_900L, 1_500L, 1_650L, 13_500L, 280, 0, 0, true,
                        Map.of("pgflip", 1_900L)));
        DrillResult failback = DrillResult.of("failback", clients,
                List.of(variant(kill, "failback", 0, null, null, null, null, hops)));
        return new DrillSuite(List.of(kill, partition, apiDown, failback));
    }

    private static RunResult.Series series(long downMs, int client) {
        int buckets = 80;
        int[] wOk = new int[buckets], wFail = new int[buckets], rOk = new int[buckets], rFail = new int[buckets];
        for (int i = 0; i < buckets; i++) {
            long t = -2_000 + i * 100L;
            boolean writesDown = t >= 0 && t < downMs - 100;
            wOk[i] = writesDown ? 0 : 7 + (i + client) % 3;
            wFail[i] = writesDown && (i % (client + 2) == 0) ? 1 + client : 0;
            boolean readDip = t >= 0 && t < 300 + 100 * client;
            rOk[i] = readDip ? 1 : 9 + i % 2;
            rFail[i] = readDip ? 2 : 0;
        }
        return new RunResult.Series(-2_000, 100, wOk, wFail, rOk, rFail);
    }
}
