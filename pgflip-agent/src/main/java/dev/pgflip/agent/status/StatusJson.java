package dev.pgflip.agent.status;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * {@code pgflip status -o json}: every field is always present (null when unknown), so a script can rely on the
 * shape; the names are documented in {@code pgflip status --help}.
 */
final class StatusJson {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private StatusJson() {}

    static String render(StatusReport report) {
        ClusterStatus s = report.status();
        ObjectNode root = JSON.createObjectNode();
        root.put("healthy", report.healthy());
        root.put("exit_code", report.exitCode());
        root.put("node", s.self());
        put(root, "nodes_from", Optional.of(s.nodesFrom()).filter(v -> !v.isEmpty()));
        put(root, "nodes_error", Optional.of(s.listingError()).filter(v -> !v.isEmpty()));
        s.nodes().forEach(n -> node(root.withArray("nodes").addObject(), n));
        root.withArray("nodes");
        put(root, "synchronous_standby_names", s.synchronousStandbyNames());
        put(root, "configured_synchronous_standby_names", s.configuredSynchronousStandbyNames());
        flip(root.putObject("flip"), s.flip());
        s.events().events().forEach(e -> root.withArray("events").addObject().put("ts", e.ts()).put("node", e.node())
                .put("event", e.event()).put("success", e.success()).put("details", e.details()));
        root.withArray("events");
        put(root, "events_note", Optional.of(s.events().note()).filter(v -> !v.isEmpty()));
        report.problems().forEach(p -> {
            ObjectNode o = root.withArray("problems").addObject().put("code", p.code());
            put(o, "node", p.node());
            o.put("message", p.message()).put("fix", p.fix());
        });
        root.withArray("problems");
        try {
            return JSON.writeValueAsString(root) + System.lineSeparator();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render the status as JSON", e);
        }
    }

    private static void node(ObjectNode o, NodeRow n) {
        o.put("id", n.id()).put("name", n.name()).put("type", n.type().label()).put("host", n.host()).put("port", n.port())
                .put("active", n.active()).put("local", n.local()).put("role", n.role().key())
                .put("reachable", n.reachable());
        put(o, "error", n.error());
        put(o, "timeline", n.timeline());
        put(o, "upstream", n.upstream());
        if (n.replication().isPresent()) {
            NodeRow.Replication r = n.replication().get();
            ObjectNode rep = o.putObject("replication").put("state", r.state());
            put(rep, "sync_state", r.syncState());
            put(rep, "flush_lag_bytes", r.flushLagBytes());
            put(rep, "replay_lag_bytes", r.replayLagBytes());
            put(rep, "replay_lag_ms", r.replayLagMillis());
        } else {
            o.putNull("replication");
        }
        ObjectNode fence = o.putObject("fence");
        fence.put("fenced", n.fence().fenced());
        put(fence, "read_only", n.fence().readOnly());
        fence.put("record_known", n.fence().recordKnown());
        put(fence, "record", n.fence().record());
        o.put("watch", n.watch().key());
        if (n.repmgrdUpstreamLastSeen().isPresent()) {
            o.put("repmgrd_upstream_last_seen_s", n.repmgrdUpstreamLastSeen().getAsInt());
        }
    }

    private static void flip(ObjectNode o, FlipView f) {
        o.put("ip", f.ip()).put("provider", f.provider());
        put(o, "self_droplet_id", f.selfDropletId());
        FlipView.Holder h = f.holder();
        ObjectNode holder = o.putObject("holder").put("known", h.known()).put("assigned", h.assigned());
        put(holder, "droplet_id", h.dropletId());
        put(holder, "droplet_name", h.dropletName());
        put(holder, "node", h.node());
        put(holder, "on_this_node", h.onThisNode());
        holder.put("locked", h.locked());
        put(holder, "error", h.error());
        if (f.metadata().isPresent()) {
            FlipView.Metadata m = f.metadata().get();
            ObjectNode md = o.putObject("metadata");
            put(md, "active", m.active());
            put(md, "address", m.address());
            put(md, "error", m.error());
        } else {
            o.putNull("metadata");
        }
    }

    private static void put(ObjectNode o, String field, Optional<?> value) {
        if (value.isEmpty()) {
            o.putNull(field);
        } else if (value.get() instanceof Boolean b) {
            o.put(field, b);
        } else {
            o.put(field, value.get().toString());
        }
    }

    private static void put(ObjectNode o, String field, OptionalLong value) {
        if (value.isPresent()) {
            o.put(field, value.getAsLong());
        } else {
            o.putNull(field);
        }
    }
}
