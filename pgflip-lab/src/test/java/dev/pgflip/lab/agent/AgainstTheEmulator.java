package dev.pgflip.lab.agent;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A test of the agent against an in-process DigitalOcean emulator of its own, started and stopped around each test. */
abstract class AgainstTheEmulator {
    @TempDir
    Path dir;
    EmulatedCloud cloud;

    @BeforeEach
    void startEmulator() throws Exception {
        cloud = new EmulatedCloud(dir);
    }

    @AfterEach
    void stopEmulator() {
        cloud.close();
    }
}
