package dev.pgflip.lab.drill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pgflip.lab.LabException;
import dev.pgflip.lab.process.Commands;
import dev.pgflip.lab.process.Pids;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real processes: the hog runs, is recorded, and ends on close or by a later sweep of its PID file alone. */
class CpuHogTest {
    private final Commands commands = new Commands(Map.of());

    @TempDir
    Path dir;

    @Test
    void theBusyProcessesRunAreRecordedAndEndOnClose() throws Exception {
        Path pids = dir.resolve("cpu-hog.pids");
        List<Long> started;
        try (CpuHog hog = CpuHog.start(commands, pids, 2)) {
            started = Files.readAllLines(pids).stream().map(Long::parseLong).toList();
            assertThat(started).hasSize(2).allMatch(Pids::alive);
            assertThat(hog.count()).isEqualTo(2);
        }
        awaitGone(started);
        assertThat(pids).doesNotExist();
    }

    /** A drill that died leaves its hog running; lab down sweeps it by the file, and only processes that are the hog. */
    @Test
    void aSweepEndsTheListedHogsAndLeavesAnyOtherProcessAlone() throws Exception {
        Path pids = dir.resolve("cpu-hog.pids");
        CpuHog.start(commands, pids, 1); // never closed: as after a crash
        long hog = Long.parseLong(Files.readAllLines(pids).get(0));
        Process other = new ProcessBuilder("sleep", "30").start();
        try {
            Files.writeString(pids, other.pid() + "\n", java.nio.file.StandardOpenOption.APPEND);

            List<Long> ended = CpuHog.sweep(commands, pids);

            assertThat(ended).containsExactly(hog);
            awaitGone(List.of(hog));
            assertThat(other.isAlive()).as("a PID that is not the hog's program").isTrue();
            assertThat(pids).doesNotExist();
            assertThat(CpuHog.sweep(commands, pids)).as("a second sweep").isEmpty();
        } finally {
            other.destroyForcibly();
        }
    }

    @Test
    void zeroStartsNothingAndOutOfRangeSaysTheRange() {
        Path pids = dir.resolve("cpu-hog.pids");
        try (CpuHog hog = CpuHog.start(commands, pids, 0)) {
            assertThat(hog.count()).isZero();
            assertThat(pids).doesNotExist();
        }
        assertThatThrownBy(() -> CpuHog.start(commands, pids, 17)).isInstanceOf(LabException.class)
                .hasMessageContaining("give 0 to 16");
    }

    private static void awaitGone(List<Long> pids) throws InterruptedException {
        for (int i = 0; i < 250 && pids.stream().anyMatch(Pids::alive); i++) {
            Thread.sleep(20);
        }
        assertThat(pids).noneMatch(Pids::alive);
    }
}
