package dev.pgflip.agent.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One line of {@code events.log_file} that tells of a failover: repmgr's promotions, follows and rejoins, the promote
 * hook's milestones, and the watch's role changes, fences, moves of the IP, degrades and ends of a stuck repmgrd
 * connection.
 */
public record FailoverEvent(String ts, String node, String event, boolean success, String details) {
    /** The event names kept (all others, such as repmgrd_reload or the watch's started, are left out). */
    static final Pattern FAILOVER = Pattern.compile(
            "promote|failover|follow|fence|rejoin|role_changed|flip_(assigned|deferred|failed)|sync_degraded|data_loss"
                    + "|repmgrd_unblock");

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The line as an event when it is one of {@link #FAILOVER}'s; empty for others and for lines that are not JSON. */
    static Optional<FailoverEvent> parse(String line) {
        JsonNode o;
        try {
            o = JSON.readTree(line);
        } catch (java.io.IOException e) {
            return Optional.empty();
        }
        if (o == null || !o.isObject()) {
            return Optional.empty();
        }
        String event = o.path("event").asText("");
        if (!FAILOVER.matcher(event).find()) {
            return Optional.empty();
        }
        String node = o.path("node").isTextual() ? o.path("node").asText()
                : o.path("node_id").isMissingNode() ? "" : "node_id " + o.path("node_id").asText();
        // The watch's own events say why in reason (or error), repmgr's in details; pgflip's timeline writes
        // success:true on each of its lines, so one named ..._failed (pgflip_promote_failed too) says the failure.
        String details = o.path("details").asText(o.path("error").asText(o.path("reason").asText("")));
        boolean success = o.path("success").asBoolean(true) && !event.endsWith("_failed");
        return Optional.of(new FailoverEvent(o.path("ts").asText(""), node, event, success, details));
    }
}
