package dev.pgflip.lab.drill;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The events file written by repmgr's event hook and by the pgflip agent (one JSON object per line), read back
 * for the drill's timeline: the times are the ones those processes recorded, not the drill's guesses.
 */
public final class ClusterEvents {
    private static final ObjectMapper JSON = new ObjectMapper();

    public record Event(long atMs, String event, String node, JsonNode raw) {}

    private final List<Event> events;

    private ClusterEvents(List<Event> events) {
        this.events = events;
    }

    public static ClusterEvents read(Path file) {
        if (!Files.exists(file)) {
            return new ClusterEvents(List.of());
        }
        try {
            return parse(Files.readAllLines(file));
        } catch (IOException | UncheckedIOException e) {
            throw new UncheckedIOException("cannot read the events file " + file,
                    e instanceof UncheckedIOException u ? u.getCause() : (IOException) e);
        }
    }

    /**
     * Waits (until {@code untilEpochMs}) for an event of that name from that node at or after {@code fromMs}. repmgr's
     * event hook records in the background at a low priority, so on a loaded machine a line can land seconds after
     * the run it belongs to; the figures are read once it is there (or the wait ends).
     */
    public static boolean await(Path file, String event, String node, long fromMs, long untilEpochMs)
            throws InterruptedException {
        while (read(file).first(event, node, fromMs).isEmpty()) {
            if (System.currentTimeMillis() >= untilEpochMs) {
                return false;
            }
            Thread.sleep(200);
        }
        return true;
    }

    /**
     * Like {@link #await}, for the first of several events (e.g. a hook's success or its failure) from any of several
     * nodes (e.g. every standby, when which one was promoted is not known).
     */
    public static boolean awaitAny(Path file, List<String> events, List<String> nodes, long fromMs, long untilEpochMs)
            throws InterruptedException {
        while (true) {
            ClusterEvents read = read(file);
            if (events.stream().anyMatch(e -> nodes.stream().anyMatch(n -> read.first(e, n, fromMs).isPresent()))) {
                return true;
            }
            if (System.currentTimeMillis() >= untilEpochMs) {
                return false;
            }
            Thread.sleep(200);
        }
    }

    /** Events from JSON lines as the events file holds them (blank lines skipped). */
    public static ClusterEvents parse(List<String> lines) {
        List<Event> events = new ArrayList<>();
        try {
            for (String line : lines) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode node = JSON.readTree(line);
                events.add(new Event(Instant.parse(node.path("ts").asText()).toEpochMilli(),
                        node.path("event").asText(), node.path("node").asText(null), node));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot parse an events line", e);
        }
        return new ClusterEvents(events);
    }

    /** Only the events before {@code untilMs} (a failback hop's window ends where the next hop's fault begins). */
    public ClusterEvents before(long untilMs) {
        return new ClusterEvents(events.stream().filter(e -> e.atMs() < untilMs).toList());
    }

    /** The first event of that name (from that node, when given) at or after {@code fromMs} that also matches. */
    public Optional<Event> first(String event, String node, long fromMs, java.util.function.Predicate<JsonNode> matching) {
        return events.stream()
                .filter(e -> e.atMs() >= fromMs && e.event().equals(event) && (node == null || node.equals(e.node()))
                        && matching.test(e.raw()))
                .min(java.util.Comparator.comparingLong(Event::atMs));
    }

    /** The first event of that name (from that node, when given) at or after {@code fromMs}. */
    public Optional<Event> first(String event, String node, long fromMs) {
        return events.stream()
                .filter(e -> e.atMs() >= fromMs && e.event().equals(event) && (node == null || node.equals(e.node())))
                .min(java.util.Comparator.comparingLong(Event::atMs));
    }
}
