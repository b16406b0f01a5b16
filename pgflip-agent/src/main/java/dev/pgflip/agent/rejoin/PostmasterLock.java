package dev.pgflip.agent.rejoin;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the process {@code postmaster.pid} names is this data directory's postmaster. {@code pg_ctl status} asks only
 * whether a process with that PID exists; after kill -9 the file stays, and on a machine that starts many processes
 * the PID comes round again (pid_max 32768 on the lab's machine): a CI drill's rejoin found a killed node "running" and
 * waited 60 s for it to answer. A postmaster works in its data directory (it changes to it at start, and so does every
 * backend it forks), so a live PID whose working directory is elsewhere belongs to some other process. PostgreSQL
 * refuses to start over a lock file whose PID is alive, so such a stale file is removed, as PostgreSQL itself
 * overwrites one whose PID is gone.
 */
final class PostmasterLock {
    private static final Logger log = LoggerFactory.getLogger(PostmasterLock.class);
    static final String FILE = "postmaster.pid";

    private PostmasterLock() {}

    /** What the lock file's PID turned out to be. */
    enum Holder {
        /** A process working in this data directory: the postmaster (or one of its children). */
        THIS_DATA_DIRECTORY,
        /** A live process working elsewhere: the PID came round again; the file is stale. */
        ANOTHER_PROCESS,
        /** Cannot tell (no lock file, no /proc, no permission): pg_ctl's answer stands. */
        UNKNOWN
    }

    /** Who holds the PID in {@code dataDirectory}'s lock file, read through {@code proc} ({@code /proc} on Linux). */
    static Holder holder(Path dataDirectory, Path proc) {
        return pid(dataDirectory).map(pid -> holder(pid, dataDirectory, proc)).orElse(Holder.UNKNOWN);
    }

    private static Holder holder(long pid, Path dataDirectory, Path proc) {
        Path process = proc.resolve(Long.toString(pid));
        try {
            // The same directory by device and inode (stat follows /proc's link to the directory itself), not by path,
            // which a process in another mount namespace would name differently.
            return Files.isSameFile(process.resolve("cwd"), dataDirectory)
                    ? Holder.THIS_DATA_DIRECTORY : Holder.ANOTHER_PROCESS;
        } catch (NoSuchFileException e) {
            // Gone since pg_ctl looked, or a /proc without cwd links: let pg_ctl be asked again rather than guess.
            return Holder.UNKNOWN;
        } catch (AccessDeniedException e) {
            return ownedByAnotherUser(process, dataDirectory) ? Holder.ANOTHER_PROCESS : Holder.UNKNOWN;
        } catch (IOException | SecurityException e) {
            return Holder.UNKNOWN;
        }
    }

    /**
     * A process whose working directory this user may not read runs as someone else, and a postmaster runs as its data
     * directory's owner.
     */
    private static boolean ownedByAnotherUser(Path process, Path dataDirectory) {
        try {
            return !Files.getOwner(process).equals(Files.getOwner(dataDirectory));
        } catch (IOException | SecurityException | UnsupportedOperationException e) {
            return false;
        }
    }

    /**
     * Removes the lock file when its PID is {@link Holder#ANOTHER_PROCESS}; true if it did (PostgreSQL is then not
     * running here).
     */
    static boolean removeIfStale(Path dataDirectory, Path proc) {
        Optional<Long> pid = pid(dataDirectory);
        if (pid.isEmpty() || holder(pid.get(), dataDirectory, proc) != Holder.ANOTHER_PROCESS) {
            return false;
        }
        Path file = dataDirectory.resolve(FILE);
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.warn("{} names PID {}, a process working outside {}, so no postmaster of this node; it could not be"
                    + " removed ({}): remove it by hand once no postgres process runs in that directory", file,
                    pid.get(), dataDirectory, e.getMessage());
            return false;
        }
        log.warn("{} named PID {}, a process working outside {}: the postmaster that wrote it is gone and its PID came"
                + " round to another process; the stale lock file was removed so PostgreSQL can start", file,
                pid.get(), dataDirectory);
        return true;
    }

    private static Optional<Long> pid(Path dataDirectory) {
        try {
            List<String> lines = Files.readAllLines(dataDirectory.resolve(FILE));
            return lines.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(lines.get(0).trim()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }
}
