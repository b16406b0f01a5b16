package dev.pgflip.agent.rejoin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The control file's state field as PostgreSQL lays it out (pg_control_version 1300, native byte order). */
class ShutdownCueTest {
    @TempDir
    Path data;

    private void controlFile(int state, int size) throws IOException {
        ByteBuffer file = ByteBuffer.allocate(8192).order(ByteOrder.nativeOrder());
        file.putLong(0, 7716127689646754779L); // system_identifier
        file.putInt(8, 1300); // pg_control_version
        file.putInt(12, 202209061); // catalog_version_no
        file.putInt(16, state);
        file.putLong(32, 0x31C85D8L); // checkPoint
        Files.createDirectories(data.resolve("global"));
        Files.write(data.resolve("global/pg_control"), java.util.Arrays.copyOf(file.array(), size));
    }

    @Test
    void shutDownIsStateOne() throws IOException {
        controlFile(1, 8192);
        assertThat(new ShutdownCue(data).saysShutDown()).isTrue();
    }

    @Test
    void inProductionShuttingDownAndInArchiveRecoveryAreNot() throws IOException {
        for (int state : new int[] {6, 3, 5, 2}) {
            controlFile(state, 8192);
            assertThat(new ShutdownCue(data).saysShutDown()).as("state %d", state).isFalse();
        }
    }

    @Test
    void aFileTooShortOrMissingSaysNothing() throws IOException {
        assertThat(new ShutdownCue(data).saysShutDown()).as("no control file").isFalse();
        controlFile(1, 18);
        assertThat(new ShutdownCue(data).saysShutDown()).as("cut inside the state field").isFalse();
    }
}
