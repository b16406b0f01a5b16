package dev.pgflip.agent.fence;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;

/**
 * The cluster as {@code pgflip watch} last read it from this node's {@code repmgr.nodes}, kept beside the fence
 * record: {@code pgflip start-guard} runs before PostgreSQL starts, when the local {@code repmgr.nodes} cannot be
 * read, and must still know whom to ask (the data peers, the witness). Written only when the list changes.
 */
public final class PeerListFile {
    // Only the record's components: Peer's derived isDataNode() is no part of what is kept.
    private static final ObjectMapper JSON = new ObjectMapper()
            .setVisibility(PropertyAccessor.IS_GETTER, JsonAutoDetect.Visibility.NONE)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /** The list as written: this node's own repmgr type ({@code primary}, {@code standby}, {@code witness}) and its peers. */
    public record Recorded(String selfType, List<Peer> peers) {
        public Recorded {
            peers = List.copyOf(peers);
        }
    }

    private final Path file;

    public PeerListFile(Path file) {
        this.file = file;
    }

    /** {@code peers.json} in the fence record's directory, as {@link RestartLock#besideFenceRecord} keeps its lock. */
    public static PeerListFile besideFenceRecord(Path stateFile) {
        return new PeerListFile(stateFile.resolveSibling("peers.json"));
    }

    public Path file() {
        return file;
    }

    /** Empty when no watch has written it yet; a damaged file is an error naming it (delete it, the watch rewrites it). */
    public Optional<Recorded> read() {
        try {
            return Optional.of(JSON.readValue(Files.readString(file), new TypeReference<Recorded>() {}));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the peer list " + file + ": " + e.getMessage()
                    + " (delete it: pgflip watch writes it again from repmgr.nodes)", e);
        }
    }

    /** Written to a temporary file and moved into place, so a reader never sees half a list. */
    public void write(Recorded recorded) {
        try {
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(recorded));
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the peer list " + file + ": " + e.getMessage()
                    + " (fencing.state_file's directory must be writable by the agent's user)", e);
        }
    }
}
