package dev.pgflip.agent.status;

import dev.pgflip.agent.db.SynchronousStandbyNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What needs attention in a {@link ClusterStatus}, pure: each rule looks at the snapshot and names the node, what was
 * found and what to do. The order is the order of the causes: the cluster, its nodes, the floating IP, replication,
 * the watch. A node that did not answer is one problem, not one per thing it could not say.
 */
public final class StatusRules {
    /**
     * A standby's repmgrd that has not seen its upstream for this long is not looping: pgflip watch's own bound for
     * repmgr's default monitor_interval_secs=2 (3 loops and a failed check), with 2 s for the look itself.
     */
    static final int REPMGRD_STALE_S = 10;

    private StatusRules() {}

    public static List<Problem> judge(ClusterStatus s) {
        List<Problem> problems = new ArrayList<>();
        if (s.nodes().isEmpty()) {
            problems.add(Problem.cluster(Problem.CLUSTER_UNREADABLE, "repmgr.nodes cannot be read: " + s.listingError(),
                    "start this node's PostgreSQL, or check node.database in the agent's config; run pgflip status on"
                            + " another node meanwhile"));
            return problems;
        }
        roles(s, problems);
        s.nodes().stream().filter(n -> !n.reachable()).forEach(n -> problems.add(unreachable(n)));
        fences(s, problems);
        flip(s, problems);
        replication(s, problems);
        repmgrds(s, problems);
        witnessRepmgrd(s, problems);
        watches(s, problems);
        return problems;
    }

    private static void roles(ClusterStatus s, List<Problem> problems) {
        List<NodeRow> writable = s.writable();
        if (writable.isEmpty()) {
            problems.add(Problem.cluster(Problem.NO_PRIMARY, "no data node answers as primary"
                    + (s.dataNodes().stream().anyMatch(n -> !n.reachable()) ? " (some do not answer at all)" : ""),
                    "a failover should be under way: check repmgrd on the standbys (repmgr service status, its log);"
                            + " if none comes, promote the most advanced standby: repmgr standby promote"));
        } else if (writable.size() > 1) {
            problems.add(Problem.cluster(Problem.SEVERAL_WRITABLE, writable.stream()
                    .map(n -> n.name() + " (timeline " + n.timeline().orElse(-1) + ")")
                    .collect(Collectors.joining(" and ")) + (writable.size() == 2 ? " both" : " all")
                    + " accept writes: split brain",
                    "stop the PostgreSQL of the node on the older timeline now, then run 'pgflip rejoin' there; check"
                            + " that pgflip watch runs on each (it fences an outranked primary)"));
        }
    }

    private static Problem unreachable(NodeRow n) {
        String fix = n.active()
                ? "check that its PostgreSQL runs (on " + n.name() + ": pg_lsclusters, systemctl status postgresql)"
                        + " and that " + n.address() + " can be reached from here"
                : "repmgr marked it failed (active=false): once its host is back, make it a standby again with"
                        + " 'pgflip rejoin' on it, or unregister it (repmgr " + n.type().label() + " unregister)";
        return Problem.of(Problem.NODE_UNREACHABLE, n.name(), n.name() + " (" + n.type().label() + ", " + n.address()
                + ") does not answer: " + n.error().orElse(""), fix);
    }

    private static void fences(ClusterStatus s, List<Problem> problems) {
        for (NodeRow n : s.dataNodes()) {
            if (!n.fence().fenced()) {
                continue;
            }
            String why = n.fence().record().map(r -> " (" + r + ")").orElse(" (default_transaction_read_only is on)");
            if (n.role() == NodeRow.Role.PRIMARY) {
                problems.add(Problem.of(Problem.FENCED_PRIMARY, n.name(), "the primary " + n.name()
                        + " is fenced" + why + ": writes are refused", "an isolation fence is lifted by pgflip watch"
                        + " once the node is provably the only primary: check the network to its peers; if an operator"
                        + " set it read-only: ALTER SYSTEM RESET default_transaction_read_only; SELECT pg_reload_conf()"));
            } else if (n.role() == NodeRow.Role.STANDBY) {
                problems.add(Problem.of(Problem.FENCED_NODE, n.name(), n.name() + " is fenced in recovery" + why,
                        "an old primary: make it a standby with 'pgflip rejoin' on it, then restart its repmgrd"
                                + " (docs/operations.md, When a node is fenced)"));
            }
        }
    }

    private static void flip(ClusterStatus s, List<Problem> problems) {
        Optional<NodeRow> primary = s.primary();
        if (primary.isEmpty()) {
            return; // no single primary: said above, and there is nothing the IP should be on
        }
        NodeRow p = primary.get();
        FlipView f = s.flip();
        FlipView.Holder h = f.holder();
        boolean primaryIsHere = p.local();
        String fix = "check that pgflip watch runs on " + p.name() + " (it moves the IP to its node within seconds), or"
                + " move it now: pgflip flip assign <droplet id of " + p.name() + "> --wait";
        if (h.known() && h.onThisNode().isPresent()) {
            if (h.onThisNode().get() != primaryIsHere) {
                problems.add(Problem.of(Problem.FLIP_NOT_ON_PRIMARY, p.name(), "the floating IP " + f.ip() + " is "
                        + (primaryIsHere ? "not on this node, the primary" : "on this node, but the primary is " + p.name()),
                        "check that pgflip watch runs on " + p.name()));
            }
        } else if (h.known()) {
            if (!h.assigned()) {
                problems.add(Problem.of(Problem.FLIP_NOT_ON_PRIMARY, p.name(), "the floating IP " + f.ip()
                        + " is not assigned to any droplet; the primary is " + p.name(), fix));
            } else if (!h.node().map(p.name()::equals).orElse(false)) {
                problems.add(Problem.of(Problem.FLIP_NOT_ON_PRIMARY, p.name(), "the floating IP " + f.ip() + " is on droplet "
                        + h.dropletId().orElse(-1) + h.node().map(n -> " (" + n + ")").orElse(" (no node of repmgr.nodes)")
                        + ", but the primary is " + p.name() + ": writes through the floating IP fail", fix));
            }
        } else if (f.provider().equals("digitalocean")) {
            problems.add(Problem.cluster(Problem.FLIP_UNKNOWN, "who holds the floating IP " + f.ip() + " is unknown: "
                    + h.error().orElse(""), "pgflip doctor checks the token, the API and the droplet id"));
        }
        metadataAgrees(s, problems);
    }

    /** The API and this droplet's metadata service must agree on whether this node holds the IP. */
    private static void metadataAgrees(ClusterStatus s, List<Problem> problems) {
        FlipView f = s.flip();
        Optional<Boolean> byMetadata = f.metadata().flatMap(m -> m.holds(f.ip()));
        if (!f.holder().known() || f.holder().onThisNode().isPresent() || byMetadata.isEmpty()) {
            return;
        }
        boolean byApi = f.holder().node().map(s.self()::equals).orElse(false);
        if (byApi != byMetadata.get()) {
            problems.add(Problem.of(Problem.FLIP_VIEWS_DISAGREE, s.self(), "the API says the floating IP " + f.ip()
                    + (byApi ? " is" : " is not") + " on this droplet, its metadata service says it"
                    + (byMetadata.get() ? " is" : " is not"), "the metadata service can lag an assign by a few seconds:"
                    + " run pgflip status again; if it persists, compare the droplet in the DigitalOcean console"));
        }
    }

    private static void replication(ClusterStatus s, List<Problem> problems) {
        Optional<NodeRow> primary = s.primary();
        if (primary.isEmpty()) {
            return;
        }
        String p = primary.get().name();
        Optional<SynchronousStandbyNames> wanted = s.configuredSynchronousStandbyNames().filter(v -> !v.isBlank())
                .map(SynchronousStandbyNames::parse);
        for (NodeRow n : s.dataNodes()) {
            if (n.role() != NodeRow.Role.STANDBY || n.fence().fenced() || n.replication().isEmpty()) {
                continue;
            }
            NodeRow.Replication r = n.replication().get();
            if (!r.streaming()) {
                problems.add(Problem.of(Problem.NOT_STREAMING, n.name(), n.name() + " does not stream from the primary "
                        + p + (r.state().equals(NodeRow.Replication.NONE) ? " (no walsender for it)" : " (walsender "
                        + r.state() + ")"), "check " + n.name() + "'s PostgreSQL log and primary_conninfo; repmgr node"
                        + " check on it; one on an older timeline than the primary's, holding WAL the primary's history"
                        + " lacks ('forked off ... before current recovery point' in its log), needs pgflip rejoin on it"));
            } else if (wanted.map(w -> w.includes(n.name())).orElse(false) && "async".equals(r.syncState().orElse(""))) {
                problems.add(Problem.of(Problem.SYNC_EXPECTED_ASYNC, n.name(), n.name() + " streams asynchronously from "
                        + p + ", whose synchronous_standby_names is '" + s.synchronousStandbyNames().orElse("")
                        + "' (configured: '" + s.configuredSynchronousStandbyNames().orElse("") + "')",
                        "pgflip watch on " + p + " sets the configured names while a named standby streams: check that it"
                                + " runs there and its sync_* events"));
            }
        }
    }

    /**
     * A standby whose repmgrd does not loop gives no failover: not running, or stuck in an earlier election's wait
     * (after a partial partition) until primary_notification_timeout ends. Fenced standbys are told to rejoin above.
     */
    private static void repmgrds(ClusterStatus s, List<Problem> problems) {
        for (NodeRow n : s.dataNodes()) {
            if (n.role() != NodeRow.Role.STANDBY || n.fence().fenced() || n.repmgrdUpstreamLastSeen().isEmpty()) {
                continue;
            }
            int lastSeen = n.repmgrdUpstreamLastSeen().getAsInt();
            String upstream = n.upstream().orElse("its upstream");
            if (lastSeen < 0) {
                problems.add(Problem.of(Problem.REPMGRD_NOT_LOOKING, n.name(), "repmgrd on " + n.name() + " has not looked"
                        + " at " + upstream + " since its PostgreSQL started: no automatic failover from " + n.name(),
                        "on " + n.name() + ": systemctl status repmgrd (or repmgr service status); start it: repmgr"
                                + " daemon start"));
            } else if (lastSeen >= REPMGRD_STALE_S) {
                problems.add(Problem.of(Problem.REPMGRD_STALLED, n.name(), "repmgrd on " + n.name() + " last saw "
                        + upstream + " " + lastSeen + " s ago: it is not looping (stopped, paused, or in an earlier"
                        + " election's wait until primary_notification_timeout) and would not act on a failure now",
                        "pgflip watch on " + n.name() + " releases a wait once it streams from a writable upstream"
                                + " (repmgrd_released); else on " + n.name() + ": repmgr service status, the repmgrd"
                                + " log; restart repmgrd"));
            }
        }
    }

    /**
     * The witness's repmgrd must monitor the primary of the moment: one still on an old primary, or looking for one
     * it cannot find in its stale copy of repmgr.nodes (a loop without a pause, seen on repmgr 5.3.3), does not see the
     * next failure. After a promotion it follows once told: at once after repmgrd's own failover, after
     * primary_notification_timeout (60 s by default) after one by hand; so a look within that minute can see it
     * behind.
     */
    private static void witnessRepmgrd(ClusterStatus s, List<Problem> problems) {
        Optional<NodeRow> primary = s.primary();
        for (NodeRow w : s.nodes()) {
            if (w.role() != NodeRow.Role.WITNESS || w.repmgrdUpstreamLastSeen().isEmpty()) {
                continue;
            }
            int lastSeen = w.repmgrdUpstreamLastSeen().getAsInt();
            String restart = "on " + w.name() + ": repmgr service status, the repmgrd log; restart repmgrd";
            if (lastSeen < 0) {
                problems.add(Problem.of(Problem.REPMGRD_NOT_LOOKING, w.name(), "repmgrd on the witness " + w.name()
                        + " has not looked at a primary since its PostgreSQL started", "on " + w.name()
                        + ": systemctl status repmgrd (or repmgr service status); start it: repmgr daemon start"));
            } else if (primary.isPresent() && w.upstream().isPresent()
                    && !w.upstream().get().equals(primary.get().name())) {
                problems.add(Problem.of(Problem.WITNESS_NOT_FOLLOWING, w.name(), "repmgrd on the witness " + w.name()
                        + " monitors " + w.upstream().get() + " (last answered " + lastSeen + " s ago), but the primary"
                        + " is " + primary.get().name(), "it follows a new primary once told, within a minute after a"
                        + " promotion by hand (primary_notification_timeout); if this lasts longer, " + restart
                        + " (a stale copy of repmgr.nodes can keep it looking: witness_sync_interval, docs/operations.md)"));
            } else if (lastSeen >= REPMGRD_STALE_S) {
                problems.add(Problem.of(Problem.REPMGRD_STALLED, w.name(), "repmgrd on the witness " + w.name()
                        + " last saw " + w.upstream().orElse("a primary") + " " + lastSeen + " s ago: it is not"
                        + " monitoring the primary", restart));
            }
        }
    }

    private static void watches(ClusterStatus s, List<Problem> problems) {
        for (NodeRow n : s.dataNodes()) {
            if (n.watch() == WatchPresence.State.ABSENT || n.watch() == WatchPresence.State.STALLED) {
                problems.add(Problem.of(Problem.WATCH_NOT_ALIVE, n.name(), n.watch() == WatchPresence.State.ABSENT
                        ? "pgflip watch does not run on " + n.name() + " (no session '"
                                + WatchPresence.applicationName(n.name()) + "' on its PostgreSQL)"
                        : "pgflip watch on " + n.name() + " has not checked its node for over "
                                + WatchPresence.STALL_AFTER.toSeconds() + " s: stopped or hung",
                        "on " + n.name() + ": systemctl status pgflip-watch; journalctl -u pgflip-watch -o cat | tail"));
            }
        }
    }
}
