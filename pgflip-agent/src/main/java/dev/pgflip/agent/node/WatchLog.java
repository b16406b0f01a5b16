package dev.pgflip.agent.node;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pgflip.agent.event.PromoteTimeline;
import java.io.PrintStream;
import java.time.Instant;
import java.util.Map;

/**
 * The watcher's state changes as JSON lines on stdout (for journald or a log shipper), mirrored into the events file
 * with a {@code pgflip_watch_} prefix so a drill's timeline sees them next to repmgr's.
 */
public final class WatchLog {
    private final ObjectMapper json = new ObjectMapper();
    private final PrintStream out;
    private final String node;
    private final PromoteTimeline events;

    public WatchLog(PrintStream out, String node, PromoteTimeline events) {
        this.out = out;
        this.node = node;
        this.events = events;
    }

    public void record(String event, Map<String, Object> facts) {
        Instant now = Instant.now();
        ObjectNode line = json.createObjectNode();
        line.put("ts", now.toString());
        line.put("node", node);
        line.put("event", event);
        facts.forEach(line::putPOJO);
        out.println(line);
        out.flush();
        events.mark("pgflip_watch_" + event, now, facts);
    }
}
