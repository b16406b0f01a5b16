package dev.pgflip.agent.rejoin;

import dev.pgflip.agent.config.RejoinConfig;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A cheap look at the state field of this node's control file ({@code global/pg_control}), read in process while the
 * node is stopping: polling {@code pg_controldata} instead would start a process every few milliseconds on the
 * machine that is shutting down. Only a cue: whoever acts on it confirms with {@code pg_controldata}, which checks the
 * file's CRC and knows its whole layout, so a torn read or a layout this class does not know costs one extra run of
 * that program or a later answer, never a wrong one.
 */
public final class ShutdownCue {
    /**
     * Where {@code ControlFileData.state} lies: after {@code system_identifier} (8 bytes), {@code pg_control_version}
     * and {@code catalog_version_no} (4 each); the same from PostgreSQL 9.x to 16 (pg_control_version 1300 for 13-16).
     */
    private static final int STATE_OFFSET = 16;
    /** {@code DB_SHUTDOWNED} in PostgreSQL's {@code DBState}: written at the end of the shutdown checkpoint. */
    private static final int DB_SHUTDOWNED = 1;

    private final Path controlFile;

    public ShutdownCue(Path dataDirectory) {
        this.controlFile = dataDirectory.resolve("global").resolve("pg_control");
    }

    /** This node's, from the data_directory of its repmgr.conf. */
    public static ShutdownCue of(RejoinConfig rejoin) {
        return new ShutdownCue(Path.of(LocalServer.of(rejoin).dataDirectory()));
    }

    /** Whether the control file's state reads "shut down"; false when it cannot be read. */
    public boolean saysShutDown() {
        ByteBuffer head = ByteBuffer.allocate(STATE_OFFSET + Integer.BYTES).order(ByteOrder.nativeOrder());
        try (FileChannel channel = FileChannel.open(controlFile, StandardOpenOption.READ)) {
            while (head.hasRemaining() && channel.read(head) >= 0) {
                // a short read continues; end of file ends the loop with the buffer not full
            }
        } catch (IOException e) {
            return false;
        }
        return !head.hasRemaining() && head.getInt(STATE_OFFSET) == DB_SHUTDOWNED;
    }
}
