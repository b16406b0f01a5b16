package dev.pgflip.lab.guide;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One shell block of the deploy guide with the marker its source puts on the line before it:
 * {@code <!-- guide-test: run on host|n1|n2|n3 -->}, {@code <!-- guide-test: not run here: why -->} or
 * {@code <!-- guide-test: file /usr/bin/… -->}; {@code marker} is null when there is none.
 */
record GuideBlock(int line, String language, String marker, String text) {
    static final Path GUIDE = Path.of("..", "docs", "deploy-digitalocean.md").toAbsolutePath().normalize();
    private static final Pattern MARKER = Pattern.compile("^<!-- guide-test: (.+) -->$");
    private static final Pattern FENCE = Pattern.compile("^```(\\w*)\\s*$");

    /** Every ```bash and ```sh block of the guide, in order. */
    static List<GuideBlock> read() throws IOException {
        List<String> lines = Files.readAllLines(GUIDE);
        List<GuideBlock> blocks = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher fence = FENCE.matcher(lines.get(i));
            if (!fence.matches() || fence.group(1).isEmpty()) {
                continue;
            }
            int end = i + 1;
            while (end < lines.size() && !lines.get(end).startsWith("```")) {
                end++;
            }
            if (List.of("bash", "sh").contains(fence.group(1))) {
                Matcher marker = i > 0 ? MARKER.matcher(lines.get(i - 1).strip()) : null;
                blocks.add(new GuideBlock(i + 1, fence.group(1), marker != null && marker.matches() ? marker.group(1) : null,
                        String.join("\n", lines.subList(i + 1, end)) + "\n"));
            }
            i = end;
        }
        return blocks;
    }

    boolean runs() {
        return marker != null && marker.startsWith("run on ");
    }

    /** {@code host}, or the lab node the block runs on. */
    String place() {
        return marker.substring("run on ".length());
    }

    boolean installedFile() {
        return marker != null && marker.startsWith("file /");
    }

    boolean notRun() {
        return marker != null && marker.matches("not run here: \\S.*");
    }

    @Override
    public String toString() {
        return "the " + language + " block at docs/deploy-digitalocean.md:" + line;
    }
}
