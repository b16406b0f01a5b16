package dev.pgflip.lab.guide;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgflip.agent.packaging.PackageScripts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Without the lab: every shell block of the deploy guide is marked, parses, and runs on the lab once substituted. */
class GuideBlocksTest {
    private static final Path JAR = Path.of("/lab/pgflip.jar");

    @Test
    void everyShellBlockSaysWhetherAndWhereItRuns() throws Exception {
        List<GuideBlock> blocks = GuideBlock.read();

        assertThat(blocks).hasSizeGreaterThan(20);
        assertThat(blocks).allSatisfy(b -> assertThat(b.runs() || b.notRun() || b.installedFile())
                .as(b + " needs a marker on the line before it: <!-- guide-test: run on host|n1|n2|n3 -->, "
                        + "<!-- guide-test: not run here: <why> --> or <!-- guide-test: file <path> -->, got " + b.marker())
                .isTrue());
        assertThat(blocks.stream().filter(GuideBlock::runs).map(GuideBlock::place))
                .allSatisfy(place -> assertThat(place).isIn("host", "n1", "n2", "n3"));
        assertThat(blocks.stream().filter(GuideBlock::runs).count()).as("blocks run on the lab").isGreaterThanOrEqualTo(6);
    }

    /** As the reader runs it: each {@code <placeholder>} filled in (with a word), else bash reads it as a redirection. */
    @Test
    void everyShellBlockParses() throws Exception {
        for (GuideBlock block : GuideBlock.read()) {
            String filledIn = block.installedFile() ? block.text()
                    : LabSubstitutions.PLACEHOLDER.matcher(block.text()).replaceAll("VALUE");
            Process check = new ProcessBuilder(block.language().equals("sh") ? "sh" : "bash", "-n")
                    .redirectErrorStream(true).start();
            check.getOutputStream().write(filledIn.getBytes(StandardCharsets.UTF_8));
            check.getOutputStream().close();
            String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(check.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(check.exitValue()).as(block + ": " + output).isZero();
        }
    }

    /**
     * The guide's postgresql.conf block is what the lab runs: a setting tuned on the lab (e.g. the WAL retry a blip
     * needed) but not in the guide would leave a real cluster with the behaviour the drill found wrong.
     */
    @Test
    void thePostgresSettingsShownAreTheLabsOwn() throws Exception {
        java.util.Map<String, String> lab = settings(dev.pgflip.lab.cluster.PostgresSettings.postgresqlConf());
        String guide = java.nio.file.Files.readString(GuideBlock.GUIDE);
        int section = guide.indexOf("## 6. PostgreSQL settings");
        int start = guide.indexOf("```ini\n", section) + "```ini\n".length();
        java.util.Map<String, String> shown = settings(guide.substring(start, guide.indexOf("```", start)));
        // The lab's own: its ports and sockets, its small memory, its log format.
        java.util.Set<String> labOnly = java.util.Set.of("port", "unix_socket_directories", "max_connections",
                "shared_buffers", "log_line_prefix", "log_connections");

        assertThat(shown).hasSizeGreaterThan(8);
        shown.forEach((name, value) -> assertThat(lab).as("the guide's " + name).containsEntry(name, value));
        lab.keySet().stream().filter(name -> !labOnly.contains(name))
                .forEach(name -> assertThat(shown).as("the lab's " + name + " in the guide's section 6").containsKey(name));
    }

    private static java.util.Map<String, String> settings(String conf) {
        java.util.Map<String, String> settings = new java.util.TreeMap<>();
        for (String line : conf.split("\n")) {
            String setting = line.replaceAll("#.*$", "").strip();
            if (setting.contains("=")) {
                settings.put(setting.substring(0, setting.indexOf('=')).strip(),
                        setting.substring(setting.indexOf('=') + 1).strip());
            }
        }
        return settings;
    }

    @Test
    void theScriptsShownAreThePackagesOwn() throws Exception {
        List<String> packaged = PackageScripts.render().keySet().stream().map(Path::toString).toList();

        assertThat(GuideBlock.read().stream().filter(GuideBlock::installedFile).map(b -> b.marker().substring(5)))
                .containsExactlyInAnyOrderElementsOf(packaged);
        for (GuideBlock block : GuideBlock.read().stream().filter(GuideBlock::installedFile).toList()) {
            assertThat(block.text()).as(block.toString()).isEqualTo(PackageScripts.render().get(Path.of(block.marker().substring(5))));
        }
    }

    @Test
    void aBlockThatRunsKeepsNoPlaceholderAndNoRealDigitalOceanAddressOnceSubstituted() throws Exception {
        for (GuideBlock block : GuideBlock.read().stream().filter(GuideBlock::runs).toList()) {
            String lab = LabSubstitutions.apply(block.text(), JAR);

            assertThat(LabSubstitutions.PLACEHOLDER.matcher(lab).results().map(r -> r.group()).toList())
                    .as(block + ": a placeholder the lab cannot fill (add it to LabSubstitutions or mark the block)")
                    .isEmpty();
            assertThat(lab).as(block.toString()).doesNotContain("api.digitalocean.com").doesNotContain("169.254.169.254");
        }
    }

    @Test
    void aPlaceholderIsFoundAndAMissingMarkerIsNamed() {
        assertThat(LabSubstitutions.PLACEHOLDER.matcher("ID=<n2's droplet id>; cat </dev/null").results().map(r -> r.group()))
                .containsExactly("<n2's droplet id>");
        GuideBlock unmarked = new GuideBlock(7, "bash", null, "true\n");
        assertThat(unmarked.runs() || unmarked.notRun() || unmarked.installedFile()).isFalse();
        assertThat(new GuideBlock(7, "bash", "not run here:", "true\n").notRun()).as("a reason is required").isFalse();
    }
}
