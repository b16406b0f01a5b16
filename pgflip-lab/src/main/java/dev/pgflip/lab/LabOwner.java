package dev.pgflip.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Which lab directory owns the machine's lab names (namespaces n1..n3, the bridge, 198.18.0.0/24): only one lab can
 * exist at a time, so {@code lab up} records its directory here and {@code lab down} of another directory must not
 * sweep those names away from under it.
 */
public final class LabOwner {
    static final Path FILE = Path.of("/run/pgflip-lab.owner");

    private LabOwner() {}

    public static Optional<Path> current() {
        try {
            return Files.exists(FILE) ? Optional.of(Path.of(Files.readString(FILE).strip())) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + FILE, e);
        }
    }

    /** Another directory holds the names, and it still looks like a lab (its marker is there). */
    public static Optional<Path> other(LabLayout layout) {
        return current().filter(dir -> !dir.equals(layout.root()) && Files.exists(new LabLayout(dir).marker()));
    }

    public static void claim(LabLayout layout) {
        try {
            Files.writeString(FILE, layout.root() + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + FILE, e);
        }
    }

    public static void release(LabLayout layout) {
        try {
            if (current().map(dir -> dir.equals(layout.root())).orElse(false)) {
                Files.deleteIfExists(FILE);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + FILE, e);
        }
    }
}
