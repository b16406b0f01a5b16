package dev.pgflip.agent.repmgr;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The promote wrapper as /bin/sh runs it, with stand-ins for psql, repmgr and the agent that record their calls: it
 * promotes only a node that is not fenced and whose promotion it could claim on the witness.
 */
class PromoteWrapperTest {
    @TempDir
    Path dir;
    private Path bin;
    private Path calls;
    private Path conf;

    @BeforeEach
    void standIns() throws IOException {
        bin = Files.createDirectories(dir.resolve("bin"));
        calls = dir.resolve("calls.txt");
        conf = dir.resolve("repmgr.conf");
        Files.writeString(conf, "node_id=2\nnode_name='n2'\nconninfo='host=198.18.0.12 user=repmgr dbname=repmgr'\n");
        // psql: one session that finds the witness and claims there; its script arrives on stdin, its answer is canned
        script("psql", "echo \"psql $*\" >> " + calls + "\n"
                + "cat > " + dir.resolve("claim-sql.txt") + "; cat " + dir.resolve("claim.txt") + "; exit $(cat "
                + dir.resolve("claim-exit.txt") + ")\n");
        script("repmgr", "echo \"repmgr $*\" >> " + calls + "\n");
        script("pgflip", "echo \"pgflip $*\" >> " + calls + "\n");
        Files.writeString(dir.resolve("claim.txt"), "claimed\n");
        Files.writeString(dir.resolve("claim-exit.txt"), "0");
    }

    private void script(String name, String body) throws IOException {
        Path file = bin.resolve(name);
        Files.writeString(file, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private Result run(String... extraArgs) throws Exception {
        Path wrapper = dir.resolve("pgflip-promote");
        Files.writeString(wrapper, PromoteWrapper.render(bin, bin.resolve("pgflip"), "test"));
        List<String> argv = new java.util.ArrayList<>(List.of("/bin/sh", wrapper.toString(), conf.toString(),
                "/etc/pgflip/agent.yaml"));
        argv.addAll(List.of(extraArgs));
        Process p = new ProcessBuilder(argv)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        List<String> called = Files.exists(calls) ? Files.readAllLines(calls) : List.of();
        return new Result(p.exitValue(), err, called);
    }

    private record Result(int exit, String stderr, List<String> calls) {
        boolean promoted() {
            return calls.stream().anyMatch(c -> c.startsWith("repmgr standby promote"));
        }
    }

    @Test
    void anEligibleNodeClaimsItsPromotionThenPromotesThenHandsOverToTheAgent() throws Exception {
        Result r = run();
        assertThat(r.exit()).as(r.stderr()).isZero();
        assertThat(r.calls()).hasSize(3);
        assertThat(r.calls().get(0)).contains("-v node=n2").contains("-d host=198.18.0.12 user=repmgr dbname=repmgr");
        assertThat(r.calls().get(1)).isEqualTo("repmgr standby promote -f " + conf + " --log-to-file");
        assertThat(r.calls().get(2)).isEqualTo("pgflip promote --already-promoted --config /etc/pgflip/agent.yaml");
        assertThat(r.stderr()).as("the claim's time, for repmgrd's log").matches(
                "pgflip-promote: claimed the promotion of n2 on the witness [0-9]+ ms after the call; promoting\\n");
        assertThat(Files.readString(dir.resolve("claim-sql.txt"))).isEqualTo(PromoteWrapper.claimScript())
                .contains("\\connect -reuse-previous=off :\"witness\"")
                .contains("INSERT INTO pgflip.promotion").contains("WHERE pgflip.promotion.eligible RETURNING 'claimed'");
    }

    @Test
    void aNodeThePrimaryMarkedIneligibleIsNotPromoted() throws Exception {
        Files.writeString(dir.resolve("claim.txt"), "");
        Result r = run();
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.promoted()).isFalse();
        assertThat(r.stderr()).contains("n2 is ineligible for promotion");
    }

    @Test
    void aWitnessThatCannotBeAskedMeansNoPromotion() throws Exception {
        Files.writeString(dir.resolve("claim-exit.txt"), "2");
        Result r = run();
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.promoted()).isFalse();
        assertThat(r.stderr()).contains("cannot find the witness on this node or claim the promotion of n2 there");
    }

    @Test
    void aFencedNodeIsNeverPromotedAndNothingIsAsked() throws Exception {
        Files.writeString(dir.resolve("fence.state"), "outranked: n1 is primary on timeline 3; run pgflip rejoin\ntimeline=2\n");
        Result r = run();
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.calls()).isEmpty();
        assertThat(r.stderr()).contains("this node is fenced (outranked: n1 is primary on timeline 3");
    }

    @Test
    void theFenceRecordMayLiveElsewhereWhenItsPathIsGiven() throws Exception {
        Path record = Files.createDirectories(dir.resolve("var-lib-pgflip")).resolve("fence.state");
        Files.writeString(record, "isolated: no peer answered for 1200ms\ntimeline=1\n");
        Result r = run(record.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.calls()).isEmpty();
        assertThat(run().promoted()).as("without the path, beside repmgr.conf: nothing there").isTrue();
    }

    @Test
    void aClusterWithoutAWitnessPromotesWithoutAClaim() throws Exception {
        Files.writeString(dir.resolve("claim.txt"), "no-witness\n");
        Result r = run();
        assertThat(r.exit()).isZero();
        assertThat(r.calls()).hasSize(3);
        assertThat(r.promoted()).isTrue();
        assertThat(r.stderr()).isEqualTo("pgflip-promote: no witness registered: promoting n2 without a claim\n");
    }
}
