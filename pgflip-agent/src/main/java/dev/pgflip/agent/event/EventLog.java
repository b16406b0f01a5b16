package dev.pgflip.agent.event;

import dev.pgflip.agent.ExitCode;
import dev.pgflip.agent.PgflipException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The JSON-lines event file. Each line is appended with one write on an O_APPEND descriptor, so lines from
 * concurrent hooks (repmgrd and a manual run) never interleave.
 */
public final class EventLog {
    private final Path file;

    public EventLog(Path file) {
        this.file = file;
    }

    public void append(String jsonLine) {
        byte[] bytes = (jsonLine + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                java.nio.file.Files.createDirectories(parent);
            }
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                int written = ch.write(buf);
                if (written != bytes.length) {
                    throw new IOException("short write: " + written + " of " + bytes.length + " bytes");
                }
            }
        } catch (IOException e) {
            throw new PgflipException(ExitCode.USAGE, "cannot append to events.log_file " + file + ": " + e.getMessage()
                    + " (check the directory exists or can be created and is writable by this user)", e);
        }
    }
}
