package dev.pgflip.agent.fence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PeerListFileTest {
    @TempDir
    Path dir;

    @Test
    void theListWrittenIsTheListReadBesideTheFenceRecord() {
        PeerListFile file = PeerListFile.besideFenceRecord(dir.resolve("fence.state"));
        assertThat(file.file()).isEqualTo(dir.resolve("peers.json"));
        assertThat(file.read()).isEmpty();
        var recorded = new PeerListFile.Recorded("primary", List.of(
                new Peer("n2", "standby", "198.18.0.12", 5432, true, true),
                new Peer("n3", "witness", "198.18.0.13", 5432, true, false)));
        file.write(recorded);
        assertThat(file.read()).contains(recorded);
        assertThat(dir.resolve("peers.json.tmp")).doesNotExist();
    }

    @Test
    void aDamagedListIsAnErrorThatSaysWhatToDo() throws Exception {
        Files.writeString(dir.resolve("peers.json"), "{\"selfType\": \"primary\", \"peers\": [");
        assertThatThrownBy(() -> PeerListFile.besideFenceRecord(dir.resolve("fence.state")).read())
                .isInstanceOf(UncheckedIOException.class).hasMessageContaining("peers.json")
                .hasMessageContaining("delete it");
    }
}
