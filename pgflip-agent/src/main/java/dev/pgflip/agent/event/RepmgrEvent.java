package dev.pgflip.agent.event;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pgflip.agent.ExitCode;
import dev.pgflip.agent.PgflipException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;

/**
 * One repmgr event notification ({@code %n %e %s %t %d}) as recorded by pgflip: it records, it does not judge,
 * so failed events are kept like any other.
 */
public record RepmgrEvent(
        Instant recordedAt, String nodeId, String event, boolean success, String eventTimestamp, String details,
        Optional<String> node) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter TS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSX", Locale.ROOT).withZone(ZoneOffset.UTC);

    /** repmgr passes success as 1/0; t/f and true/false are accepted too. */
    public static boolean parseSuccess(String text) {
        switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "1": case "t": case "true": case "yes": return true;
            case "0": case "f": case "false": case "no": return false;
            default: throw new PgflipException(ExitCode.USAGE, "SUCCESS \"" + text + "\" is not 1 or 0 (repmgr's %s)");
        }
    }

    /**
     * The JSON line without newline: {@code {"ts":…,"node_id":…,"event":…,"success":…,"event_timestamp":…,
     * "details":…,"node":…}}. node_id is a number when repmgr passed one.
     */
    public String toJsonLine() {
        ObjectNode o = JSON.createObjectNode();
        o.put("ts", TS.format(recordedAt));
        if (nodeId.matches("-?\\d{1,18}")) {
            o.put("node_id", Long.parseLong(nodeId));
        } else {
            o.put("node_id", nodeId);
        }
        o.put("event", event);
        o.put("success", success);
        o.put("event_timestamp", eventTimestamp);
        o.put("details", details);
        if (node.isPresent()) {
            o.put("node", node.get());
        } else {
            o.putNull("node");
        }
        return o.toString();
    }
}
