package dev.pgflip.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code scripts/reap-abandoned-test-lab.sh}, which {@code make test} runs first: it takes down the lab a killed test
 * left behind, and nothing else. The labs here are lab directories with nothing made yet (a marker, the jar, no state),
 * so the real {@code lab down} they get removes only the directory and the owner record.
 */
class AbandonedTestLabIT {
    private static final Path OWNER = Path.of("/run/pgflip-lab.owner");
    private static final Path MACHINE_LOCK = Path.of("/tmp/pgflip-lab.machine.lock");
    private static final Path SCRIPT = Path.of("../scripts/reap-abandoned-test-lab.sh");

    private FileChannel lockChannel;
    private FileLock lock;
    private Path labDir;

    @BeforeEach
    void holdTheMachine() throws IOException {
        lockChannel = FileChannel.open(MACHINE_LOCK, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        lock = lockChannel.lock();
        assertThat(OWNER).as("a lab is up on this machine: these tests rewrite its owner record").doesNotExist();
    }

    @AfterEach
    void release() throws IOException, InterruptedException {
        try {
            if (labDir != null && Files.exists(labDir)) {
                new ProcessBuilder("rm", "-rf", labDir.toString()).start().waitFor();
            }
            Files.deleteIfExists(OWNER);
        } finally {
            if (lock.isValid()) {
                lock.release();
            }
            lockChannel.close();
        }
    }

    @Test
    void takesDownATestLabOnlyOnceNoTestHoldsTheMachine() throws Exception {
        labDir = fakeLab("pgflip-lab-it-abandoned");

        String whileHeld = reap();
        assertThat(labDir).as("this JVM holds the machine lock: its test still lives").exists();
        assertThat(whileHeld).isEmpty();

        lock.release();
        String reaped = reap();
        assertThat(reaped).contains("the test that made the lab in " + labDir + " is gone");
        assertThat(labDir).doesNotExist();
        assertThat(OWNER).doesNotExist();
    }

    @Test
    void leavesALabMadeByHandAlone() throws Exception {
        labDir = fakeLab("pgflip-demo-lab");
        lock.release();

        assertThat(reap()).isEmpty();
        assertThat(labDir).exists();
        assertThat(OWNER).exists();
    }

    private Path fakeLab(String prefix) throws IOException {
        Path dir = Files.createTempDirectory(prefix);
        LabLayout layout = new LabLayout(dir);
        Files.createFile(layout.marker());
        Files.createDirectories(layout.bin());
        Files.copy(Path.of(System.getProperty("pgflip.jar", "target/pgflip.jar")), layout.jar());
        Files.writeString(OWNER, dir + "\n");
        return dir;
    }

    /** Runs the script; it must succeed; returns what it printed. */
    private static String reap() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("bash", SCRIPT.toString()).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("the script finished").isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }
}
