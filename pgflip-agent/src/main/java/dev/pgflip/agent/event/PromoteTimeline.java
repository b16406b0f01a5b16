package dev.pgflip.agent.event;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The promote hook's own milestones, written to the same JSON-lines file as repmgr's events so one file tells the
 * whole failover with millisecond times ({@code "event":"pgflip_promote_started"}, {@code pgflip_node_writable},
 * {@code pgflip_flip_assigned}, {@code pgflip_promote_done} or {@code pgflip_promote_failed}). Recording never fails the hook: a failover matters more
 * than its diary.
 */
public interface PromoteTimeline {
    PromoteTimeline NONE = (event, at, facts) -> { };

    void mark(String event, Instant at, Map<String, Object> facts);

    static PromoteTimeline to(Path logFile, String node) {
        return new PromoteTimeline() {
            private final Logger log = LoggerFactory.getLogger(PromoteTimeline.class);
            private final ObjectMapper json = new ObjectMapper();
            private final DateTimeFormatter ts =
                    DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSX", Locale.ROOT).withZone(ZoneOffset.UTC);

            @Override
            public void mark(String event, Instant at, Map<String, Object> facts) {
                ObjectNode line = json.createObjectNode();
                line.put("ts", ts.format(at));
                line.put("event", event);
                line.put("node", node);
                line.put("success", true);
                facts.forEach((k, v) -> line.putPOJO(k, v));
                try {
                    new EventLog(logFile).append(line.toString());
                } catch (RuntimeException e) {
                    log.warn("could not record {} in {}: {}", event, logFile, e.getMessage());
                }
            }
        };
    }
}
