package dev.pgflip.lab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

/**
 * The lab's shape as {@code lab up} made it, kept in its directory ({@code topology.json}), so that every later
 * command (status, drill, fault, down) sees the standbys that {@code lab up --standbys N} made. A directory without
 * it holds the standard lab (or none).
 */
public final class RecordedTopology {
    private static final ObjectMapper JSON = new ObjectMapper();

    private RecordedTopology() {
    }

    public static LabTopology read(LabLayout layout) {
        if (!Files.isRegularFile(layout.topologyFile())) {
            return LabTopology.standard();
        }
        try {
            JsonNode recorded = JSON.readTree(layout.topologyFile().toFile());
            return LabTopology.withStandbys(recorded.path("standbys").asInt(1));
        } catch (IOException | IllegalArgumentException e) {
            throw new LabException("cannot read the lab's shape from " + layout.topologyFile() + " (" + e.getMessage()
                    + "): run 'pgflip lab down' and 'pgflip lab up' again", e);
        }
    }

    static void write(LabLayout layout, LabTopology topology) {
        try {
            LabFiles.write(layout.topologyFile(), JSON.writeValueAsString(
                    java.util.Map.of("standbys", topology.standbys().size())) + "\n", "rw-r--r--", false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record the lab's shape in " + layout.topologyFile(), e);
        }
    }
}
