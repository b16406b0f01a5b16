package dev.pgflip.agent.rejoin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A /proc of symbolic links in a temporary directory: each PID's cwd points where that process works. */
class PostmasterLockTest {
    @TempDir
    Path dir;
    private Path data;
    private Path proc;

    @BeforeEach
    void layout() throws IOException {
        data = Files.createDirectories(dir.resolve("n1/data"));
        proc = Files.createDirectories(dir.resolve("proc"));
    }

    private void process(long pid, Path cwd) throws IOException {
        Files.createSymbolicLink(Files.createDirectories(proc.resolve(Long.toString(pid))).resolve("cwd"), cwd);
    }

    private void lockFile(String firstLine) throws IOException {
        Files.writeString(data.resolve(PostmasterLock.FILE), firstLine + "\n" + data + "\n1765000000\n5432\n");
    }

    @Test
    void aPostmasterWorkingInItsDataDirectoryHoldsTheLockAndNothingIsRemoved() throws IOException {
        lockFile("4242");
        process(4242, data);

        assertThat(PostmasterLock.holder(data, proc)).isEqualTo(PostmasterLock.Holder.THIS_DATA_DIRECTORY);
        assertThat(PostmasterLock.removeIfStale(data, proc)).isFalse();
        assertThat(data.resolve(PostmasterLock.FILE)).exists();
    }

    @Test
    void aPidThatCameRoundToAProcessWorkingElsewhereMakesTheLockFileStaleAndItIsRemoved() throws IOException {
        // The postmaster was killed; its PID now belongs to a backend of another node's cluster.
        lockFile("4242");
        process(4242, Files.createDirectories(dir.resolve("n2/data")));

        assertThat(PostmasterLock.holder(data, proc)).isEqualTo(PostmasterLock.Holder.ANOTHER_PROCESS);
        assertThat(PostmasterLock.removeIfStale(data, proc)).isTrue();
        assertThat(data.resolve(PostmasterLock.FILE)).doesNotExist();
    }

    @Test
    void whatCannotBeToldLeavesPgCtlsAnswerStanding() throws IOException {
        assertThat(PostmasterLock.holder(data, proc)).as("no lock file").isEqualTo(PostmasterLock.Holder.UNKNOWN);
        lockFile("4242");
        assertThat(PostmasterLock.holder(data, proc)).as("no such process under /proc").isEqualTo(PostmasterLock.Holder.UNKNOWN);
        lockFile("not a pid");
        assertThat(PostmasterLock.holder(data, proc)).isEqualTo(PostmasterLock.Holder.UNKNOWN);
        assertThat(PostmasterLock.removeIfStale(data, proc)).isFalse();
        assertThat(data.resolve(PostmasterLock.FILE)).exists();
    }

    @Test
    void aDataDirectoryReachedThroughASymbolicLinkIsStillItsOwn() throws IOException {
        Path link = Files.createSymbolicLink(dir.resolve("current"), data.getParent());
        lockFile("4242");
        process(4242, data);

        assertThat(PostmasterLock.holder(link.resolve("data"), proc)).isEqualTo(PostmasterLock.Holder.THIS_DATA_DIRECTORY);
    }
}
