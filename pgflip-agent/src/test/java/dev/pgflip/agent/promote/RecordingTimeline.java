package dev.pgflip.agent.promote;

import dev.pgflip.agent.event.PromoteTimeline;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps the hook's milestones in memory. */
final class RecordingTimeline implements PromoteTimeline {
    record Mark(String event, Instant at, Map<String, Object> facts) {}

    private final List<Mark> marks = new CopyOnWriteArrayList<>();

    @Override
    public void mark(String event, Instant at, Map<String, Object> facts) {
        marks.add(new Mark(event, at, Map.copyOf(facts)));
    }

    List<String> events() {
        return marks.stream().map(Mark::event).toList();
    }

    Optional<Instant> at(String event) {
        return marks.stream().filter(m -> m.event().equals(event)).map(Mark::at).findFirst();
    }

    Optional<Map<String, Object>> facts(String event) {
        return marks.stream().filter(m -> m.event().equals(event)).map(Mark::facts).findFirst();
    }
}
