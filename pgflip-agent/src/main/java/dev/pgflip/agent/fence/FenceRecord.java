package dev.pgflip.agent.fence;

import dev.pgflip.agent.node.FenceState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * Why this node is fenced, in a file next to the agent's config: it outlives restarts of the agent and of PostgreSQL
 * (PostgreSQL 15 refuses ALTER SYSTEM for a custom setting, so the reason cannot live in postgresql.auto.conf), and
 * it tells the agent which read-only setting is its own to lift: one an operator set by hand is left alone.
 */
public final class FenceRecord {
    private final Path file;

    public FenceRecord(Path file) {
        this.file = file;
    }

    public Optional<FenceState> read() {
        try {
            return FenceState.parse(Files.readString(file).strip());
        } catch (java.nio.file.NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the fence record " + file + ": " + e.getMessage(), e);
        }
    }

    /** Written before the fence goes up, so an agent that dies half-way still knows the node may be fenced. */
    public void write(FenceState state) {
        try {
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, state.render());
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the fence record " + file + ": " + e.getMessage()
                    + " (fencing.state_file must be writable by the agent's user)", e);
        }
    }

    public void delete() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the fence record " + file + ": " + e.getMessage(), e);
        }
    }

    public Path file() {
        return file;
    }
}
