package dev.pgflip.agent.flip;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pgflip.agent.digitalocean.Action;
import dev.pgflip.agent.digitalocean.FloatingIp;
import java.time.Instant;
import java.util.Optional;

/** Renders {@code pgflip flip} results as doctl-like columns or as JSON. */
public final class FlipOutput {
    /** {@code --output}. */
    public enum Format { TEXT, JSON }

    private static final ObjectMapper JSON = new ObjectMapper();

    private FlipOutput() {}

    public static String render(FloatingIp f, Format format) {
        if (format == Format.JSON) {
            ObjectNode o = JSON.createObjectNode().put("ip", f.ip());
            if (f.dropletId().isPresent()) {
                o.put("droplet_id", f.dropletId().getAsLong());
            } else {
                o.putNull("droplet_id");
            }
            o.put("droplet_name", f.dropletName().orElse(null));
            o.put("locked", f.locked());
            o.put("region", f.regionSlug());
            return o.toString();
        }
        return row("IP", "Region", "Droplet ID", "Droplet Name", "Locked") + "\n"
                + row(f.ip(), f.regionSlug(), f.dropletId().isPresent() ? Long.toString(f.dropletId().getAsLong()) : "",
                        f.dropletName().orElse(""), Boolean.toString(f.locked()));
    }

    public static String render(Action a, Format format) {
        if (format == Format.JSON) {
            return JSON.createObjectNode()
                    .put("id", a.id())
                    .put("status", a.status())
                    .put("type", a.type())
                    .put("started_at", text(a.startedAt()))
                    .put("completed_at", text(a.completedAt()))
                    .toString();
        }
        return row("ID", "Status", "Type", "Started At", "Completed At") + "\n"
                + row(Long.toString(a.id()), a.status(), a.type(), orEmpty(a.startedAt()), orEmpty(a.completedAt()));
    }

    private static String row(String... cells) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            sb.append(i == cells.length - 1 ? cells[i] : String.format("%-24s", cells[i]));
        }
        return sb.toString().stripTrailing();
    }

    private static String text(Optional<Instant> t) {
        return t.map(Instant::toString).orElse(null);
    }

    private static String orEmpty(Optional<Instant> t) {
        return t.map(Instant::toString).orElse("");
    }
}
