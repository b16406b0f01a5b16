package dev.pgflip.agent.fence;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Optional;

/**
 * Who may stop and start this node's PostgreSQL right now: the fence restarting it in recovery, or {@code pgflip
 * rejoin} rewinding it, never both. Found in CI: the watch daemon fenced a killed old primary (starting it in recovery)
 * while the lab's rejoin of that node ran, and pg_rewind's single-user start then failed on the shared memory the new
 * postmaster held. An OS file lock beside the fence record ({@code restart.lock}), so it works across the watch
 * daemon's JVM and the rejoin's, and is released if either dies.
 */
public final class RestartLock {
    private final Path file;

    public RestartLock(Path file) {
        this.file = file;
    }

    /** The lock beside {@code fencing.state_file}. */
    public static RestartLock besideFenceRecord(Path stateFile) {
        return new RestartLock(stateFile.resolveSibling("restart.lock"));
    }

    /** The lock now, or empty when someone else holds it (another process, or this JVM). */
    public Optional<Held> tryAcquire() {
        FileChannel channel = open();
        try {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                channel.close();
                return Optional.empty();
            }
            return Optional.of(new Held(channel));
        } catch (OverlappingFileLockException e) {
            close(channel);
            return Optional.empty();
        } catch (IOException e) {
            close(channel);
            throw new UncheckedIOException("cannot lock " + file + ": " + e.getMessage(), e);
        }
    }

    /** Waits up to {@code timeout} for the lock (a fence restart in progress takes seconds). */
    public Optional<Held> acquire(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<Held> held = tryAcquire();
            if (held.isPresent() || System.nanoTime() >= deadline) {
                return held;
            }
            Thread.sleep(100);
        }
    }

    private FileChannel open() {
        try {
            return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + file + " (it must be writable by postgres, like the fence"
                    + " record beside it): " + e.getMessage(), e);
        }
    }

    private static void close(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // Closing releases the lock; nothing else to undo.
        }
    }

    public Path file() {
        return file;
    }

    /** A held lock; closing releases it. */
    public static final class Held implements AutoCloseable {
        private final FileChannel channel;

        private Held(FileChannel channel) {
            this.channel = channel;
        }

        @Override
        public void close() {
            RestartLock.close(channel);
        }
    }
}
