package dev.pgflip.agent.status;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * {@code pgflip status} for people: the nodes as a table in the spirit of {@code patronictl list} and
 * {@code repmgr cluster show}, then the floating IP, the last failover events and what needs attention, each problem
 * with its fix under it.
 */
final class StatusTable {
    private static final List<String> HEADER = List.of("ID", "Node", "Type", "Role", "Address", "TL", "Upstream",
            "Lag flush / replay", "Sync", "Fence", "Watch");

    private StatusTable() {}

    static String render(StatusReport report) {
        ClusterStatus s = report.status();
        StringBuilder out = new StringBuilder();
        out.append("Cluster seen from ").append(s.self()).append(" (repmgr.nodes read ")
                .append(s.nodesFrom().isEmpty() ? "nowhere" : s.nodesFrom().equals("local") ? "here" : "through the "
                        + s.nodesFrom()).append(")\n");
        if (!s.nodes().isEmpty()) {
            List<List<String>> rows = new ArrayList<>();
            rows.add(HEADER);
            s.nodes().forEach(n -> rows.add(cells(n)));
            out.append(table(rows));
            out.append("* this node. Fence: default_transaction_read_only as each node answers; the fence record"
                    + " (fencing.state_file) is known here only.\n");
        }
        s.synchronousStandbyNames().ifPresent(v -> out.append("synchronous_standby_names on the primary: '").append(v)
                .append("'").append(s.configuredSynchronousStandbyNames().map(c -> " (configured: '" + c + "')").orElse(""))
                .append('\n'));
        out.append('\n').append(flip(s.flip()));
        out.append('\n').append(events(s.events()));
        out.append('\n').append(problems(report.problems()));
        return out.toString();
    }

    private static List<String> cells(NodeRow n) {
        return List.of(Integer.toString(n.id()), n.name() + (n.local() ? " *" : ""), n.type().label(), n.role().key(),
                n.address(), n.timeline().isPresent() ? Long.toString(n.timeline().getAsLong()) : "",
                n.upstream().orElse(""), n.replication().map(StatusTable::lag).orElse(""),
                n.replication().map(r -> r.streaming() ? r.syncState().orElse("") : r.state().equals(
                        NodeRow.Replication.NONE) ? "not streaming" : r.state()).orElse(""),
                fence(n), n.watch() == WatchPresence.State.NOT_EXPECTED ? "-" : n.watch().key());
    }

    private static String lag(NodeRow.Replication r) {
        String text = bytes(r.flushLagBytes()) + " / " + bytes(r.replayLagBytes());
        return r.replayLagMillis().isPresent() ? text + " (" + r.replayLagMillis().getAsLong() + " ms)" : text;
    }

    private static String fence(NodeRow n) {
        if (!n.holdsData()) {
            return "";
        }
        NodeRow.Fence f = n.fence();
        String setting = f.readOnly().map(ro -> ro ? "yes" : "no").orElse("?");
        return f.record().isPresent() ? setting + " (record)" : setting;
    }

    /** Like pg_size_pretty: 1024-based, whole numbers. */
    static String bytes(OptionalLong value) {
        if (value.isEmpty()) {
            return "-";
        }
        long b = value.getAsLong();
        String[] units = {"B", "kB", "MB", "GB", "TB"};
        int u = 0;
        double v = b;
        while (Math.abs(v) >= 10 * 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%d %s", Math.round(v), units[u]);
    }

    private static String flip(FlipView f) {
        StringBuilder out = new StringBuilder("Floating IP ").append(f.ip()).append(" (").append(f.provider()).append(")\n");
        FlipView.Holder h = f.holder();
        out.append("  by the provider: ");
        if (!h.known()) {
            out.append("unknown: ").append(h.error().orElse(""));
        } else if (h.onThisNode().isPresent()) {
            out.append(h.onThisNode().get() ? "on this node" : "not on this node");
        } else if (!h.assigned()) {
            out.append("not assigned");
        } else {
            out.append("droplet ").append(h.dropletId().orElse(-1)).append(h.dropletName().map(n -> " (" + n + ")").orElse(""))
                    .append(", node ").append(h.node().orElse("unknown"));
        }
        out.append(h.locked() ? " (an action is in progress)\n" : "\n");
        f.metadata().ifPresent(m -> {
            String droplet = f.selfDropletId().isPresent() ? " (" + f.selfDropletId().getAsLong() + ")" : "";
            out.append("  by the metadata service of this droplet").append(droplet).append(": ");
            if (m.active().isEmpty()) {
                out.append("unknown: ").append(m.error().orElse(""));
            } else {
                out.append(m.active().get() ? "active, " + m.address().orElse("") : "none active");
            }
            out.append('\n');
        });
        return out.toString();
    }

    private static String events(EventTail.Tail tail) {
        StringBuilder out = new StringBuilder("Last failover events (this node's events.log_file):\n");
        if (tail.events().isEmpty()) {
            out.append("  ").append(tail.note().isEmpty() ? "none" : tail.note()).append('\n');
        }
        List<List<String>> rows = new ArrayList<>();
        tail.events().forEach(e -> rows.add(List.of(e.ts(), e.node(), e.event(), e.success() ? "ok" : "FAILED", e.details())));
        if (!rows.isEmpty()) {
            table(rows, false).lines().forEach(l -> out.append("  ").append(l.stripTrailing()).append('\n'));
        }
        return out.toString();
    }

    private static String problems(List<Problem> problems) {
        if (problems.isEmpty()) {
            return "Nothing needs attention.\n";
        }
        StringBuilder out = new StringBuilder("Needs attention (").append(problems.size()).append("):\n");
        for (Problem p : problems) {
            out.append("  ").append(p.code()).append(": ").append(p.message()).append('\n')
                    .append("    fix: ").append(p.fix()).append('\n');
        }
        return out.toString();
    }

    private static String table(List<List<String>> rows) {
        return table(rows, true);
    }

    /** Columns padded to their widest cell; with a header, a rule under it. */
    private static String table(List<List<String>> rows, boolean header) {
        int[] width = new int[rows.get(0).size()];
        rows.forEach(r -> {
            for (int i = 0; i < r.size(); i++) {
                width[i] = Math.max(width[i], r.get(i).length());
            }
        });
        String sep = header ? " | " : "  ";
        StringBuilder out = new StringBuilder();
        for (int r = 0; r < rows.size(); r++) {
            StringBuilder line = new StringBuilder(header ? " " : "");
            for (int i = 0; i < width.length; i++) {
                String cell = rows.get(r).get(i);
                line.append(i == 0 ? "" : sep).append(cell).append(" ".repeat(width[i] - cell.length()));
            }
            out.append(line.toString().stripTrailing()).append('\n');
            if (header && r == 0) {
                StringBuilder rule = new StringBuilder();
                for (int i = 0; i < width.length; i++) {
                    rule.append(i == 0 ? "" : "+").append("-".repeat(width[i] + 2));
                }
                out.append(rule).append('\n');
            }
        }
        return out.toString();
    }
}
