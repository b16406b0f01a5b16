package dev.pgflip.agent.status;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The last failover events of this node's {@code events.log_file}. Only the file's last {@link #WINDOW} bytes are read:
 * the file grows for ever, and a failover's dozen lines are near its end.
 */
public final class EventTail {
    static final int WINDOW = 256 * 1024;

    private EventTail() {}

    /** What was found: the events, oldest first, or why there are none. */
    public record Tail(List<FailoverEvent> events, String note) {
        public Tail {
            events = List.copyOf(events);
        }
    }

    public static Tail read(Path file, int count) {
        if (count <= 0) {
            return new Tail(List.of(), "");
        }
        if (!java.nio.file.Files.exists(file)) {
            return new Tail(List.of(), "no events file " + file + " on this node");
        }
        String text;
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            long start = Math.max(0, f.length() - WINDOW);
            byte[] bytes = new byte[(int) (f.length() - start)];
            f.seek(start);
            f.readFully(bytes);
            text = new String(bytes, StandardCharsets.UTF_8);
            if (start > 0) {
                text = text.substring(text.indexOf('\n') + 1); // the first line is cut
            }
        } catch (IOException e) {
            return new Tail(List.of(), "cannot read " + file + ": " + e.getMessage());
        }
        return new Tail(last(text.lines().toList(), count), "");
    }

    /** The {@code count} latest by ts of the failover events among {@code lines}, oldest first. */
    static List<FailoverEvent> last(List<String> lines, int count) {
        List<FailoverEvent> found = new ArrayList<>();
        lines.forEach(line -> FailoverEvent.parse(line).ifPresent(found::add));
        // Writers append when they get to it, not in time order: the file is read by ts.
        found.sort(java.util.Comparator.comparing(FailoverEvent::ts));
        return List.copyOf(found.subList(Math.max(0, found.size() - count), found.size()));
    }
}
