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
    /**
     * The droplet's waits are 10 s, 10 s and 2 s ({@link PromoteWrapper.Waits#STANDARD}); the same script with 2 s, 2 s
     * and 1 s plays each one out (waited, then given up with its message) in a fraction of the time.
     */
    private static final PromoteWrapper.Waits WAITS = new PromoteWrapper.Waits(2_000, 2_000, 1_000);
    private static final String OLD_PRIMARY = "node n1 host=198.18.0.11 port=5432 user=repmgr dbname=repmgr\n";
    private static final String REGISTER = "repmgr primary register --force -f ";

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
        // psql, canned by what it is asked: the claim (its script on stdin), this node's WAL position and the other
        // standbys in repmgr.nodes, a standby's walreceiver and position (by its host: answer-HOST.txt, absent: unreachable),
        // and whether a sender is in recovery (recovery-HOST.txt, absent: unreachable)
        script("psql", "echo \"psql $*\" >> " + calls + "\n"
                + "input=$(cat)\n"
                + "host=$(echo \"$*\" | sed 's/.*host=\\([^ ]*\\).*/\\1/')\n"
                + "case \"$input $*\" in\n"
                // the sibling check's session: with no other standby (siblings.txt empty) psql's \\if claims at once
                + "  *'echo alone'*) if [ -e " + dir.resolve("promoted.txt") + " ]; then echo promoted; exit 0; fi;"
                + " if [ -s " + dir.resolve("siblings.txt") + " ]; then cat " + dir.resolve("own.txt") + " "
                + dir.resolve("siblings.txt") + "; else echo alone; printf '%s\\n' \"$input\" > "
                + dir.resolve("claim-sql.txt") + "; cat " + dir.resolve("claim.txt") + "; exit $(cat "
                + dir.resolve("claim-exit.txt") + "); fi ;;\n"
                // the withdrawal after a failed repmgr standby promote (withdraw.txt: what it prints)
                + "  *'claim withdrawn'*) printf '%s\\n' \"$input\" > " + dir.resolve("withdraw-sql.txt") + "; cat "
                + dir.resolve("withdraw.txt") + " 2>/dev/null || exit 2 ;;\n"
                // the record of the promotion on the witness (record.txt: what it prints, record-exit.txt: psql's status)
                + "  *'echo recorded'*) printf '%s\\n' \"$input\" > " + dir.resolve("record-sql.txt") + "; cat "
                + dir.resolve("record.txt") + "; exit $(cat " + dir.resolve("record-exit.txt") + ") ;;\n"
                + "  *pgflip.promotion*) printf '%s\\n' \"$input\" > " + dir.resolve("claim-sql.txt") + "; cat "
                + dir.resolve("claim.txt") + "; exit $(cat " + dir.resolve("claim-exit.txt") + ") ;;\n"
                + "  *\"type = 'standby'\"*) cat " + dir.resolve("own.txt") + " " + dir.resolve("siblings.txt") + " ;;\n"
                // the promotion (promote.txt: its answer, promote-exit.txt: psql's status)
                + "  *pg_promote*) cat " + dir.resolve("promote.txt") + "; exit $(cat " + dir.resolve("promote-exit.txt")
                + ") ;;\n"
                + "  *pg_stat_wal_receiver*) cat " + dir.resolve("answer-") + "$host.txt 2>/dev/null || exit 2 ;;\n"
                + "  *pg_is_in_recovery*) cat " + dir.resolve("recovery-") + "$host.txt 2>/dev/null || exit 2 ;;\n"
                + "esac\n");
        Files.writeString(dir.resolve("siblings.txt"), "");
        Files.writeString(dir.resolve("own.txt"), "5000\n");
        script("repmgr", "echo \"repmgr $*\" >> " + calls + "\n"
                + "[ -e " + dir.resolve("repmgr-exit.txt") + " ] && exit $(cat " + dir.resolve("repmgr-exit.txt") + ")\n"
                + "exit 0\n");
        script("pgflip", "echo \"pgflip $*\" >> " + calls + "\n"
                + "echo \"${PGFLIP_WRITABLE_AT:-unset}\" > " + dir.resolve("writable-at.txt") + "\n");
        // pg_isready: what reach-HOST.txt says (a status, "hang" for a server that never answers, or "slow"); without it, a host
        // psql can ask (recovery-HOST.txt) answers and any other does not (2)
        script("pg_isready", "echo \"pg_isready $*\" >> " + calls + "\n"
                + "host=$(echo \"$*\" | sed 's/.*host=\\([^ ]*\\).*/\\1/')\n"
                // reach-seq-HOST.txt: statuses given one a call, first line first, before anything else decides
                + "seq=" + dir.resolve("reach-seq-") + "$host.txt\n"
                + "if [ -s \"$seq\" ]; then st=$(head -n 1 \"$seq\"); sed -i 1d \"$seq\"; exit $st; fi\n"
                + "reach=" + dir.resolve("reach-") + "$host.txt\n"
                + "if [ -e \"$reach\" ]; then [ \"$(cat \"$reach\")\" = hang ] && exec sleep 30;"
                // "slow": a server that accepts after a second (a primary just back from a freeze)
                + " [ \"$(cat \"$reach\")\" = slow ] && { sleep 1; exit 0; }; exit $(cat \"$reach\"); fi\n"
                + "[ -e " + dir.resolve("recovery-") + "$host.txt ] && exit 0\n"
                + "exit 2\n");
        // The claim's session lists the other data nodes (the old primary n1, whose recovery-HOST.txt is absent: it
        // cannot be reached, as after a kill), then its verdict.
        Files.writeString(dir.resolve("claim.txt"), OLD_PRIMARY + "claimed\n");
        Files.writeString(dir.resolve("claim-exit.txt"), "0");
        Files.writeString(dir.resolve("promote.txt"), "t\n");
        Files.writeString(dir.resolve("promote-exit.txt"), "0");
        Files.writeString(dir.resolve("record.txt"), "recorded 2\n");
        Files.writeString(dir.resolve("record-exit.txt"), "0");
    }

    private void script(String name, String body) throws IOException {
        Path file = bin.resolve(name);
        Files.writeString(file, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private Result run(String... extraArgs) throws Exception {
        return runWith(java.util.Map.of(), extraArgs);
    }

    private Result runWith(java.util.Map<String, String> env, String... extraArgs) throws Exception {
        Path wrapper = dir.resolve("pgflip-promote");
        Files.writeString(wrapper, PromoteWrapper.render(bin, bin.resolve("pgflip"), "test", WAITS));
        List<String> argv = new java.util.ArrayList<>(List.of("/bin/sh", wrapper.toString(), conf.toString(),
                "/etc/pgflip/agent.yaml"));
        argv.addAll(List.of(extraArgs));
        ProcessBuilder builder = new ProcessBuilder(argv)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        builder.environment().putAll(env);
        Process p = builder.start();
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        List<String> called = Files.exists(calls) ? Files.readAllLines(calls) : List.of();
        return new Result(p.exitValue(), err, called);
    }

    private record Result(int exit, String stderr, List<String> calls) {
        boolean promoted() {
            return calls.stream().anyMatch(c -> c.contains("pg_promote"));
        }
    }

    @Test
    void anEligibleNodeClaimsItsPromotionThenPromotesThenHandsOverToTheAgent() throws Exception {
        Result r = run();
        assertThat(r.exit()).as(r.stderr()).isZero();
        assertThat(r.calls()).as("the other standbys (none) and the claim in one psql session, the old primary not"
                + " reached, the promotion, the witness's record of it, repmgr's, the agent").hasSize(6);
        assertThat(r.calls().get(0)).contains("-v node=n2").contains("-d host=198.18.0.12 user=repmgr dbname=repmgr");
        assertThat(r.calls().get(1)).isEqualTo("pg_isready -q -d host=198.18.0.11 port=5432 user=repmgr dbname=repmgr");
        assertThat(r.calls().get(2)).contains("-d host=198.18.0.12 user=repmgr dbname=repmgr")
                .contains("DO $$ BEGIN PERFORM pg_promote(wait => false); FOR i IN 1..6000 LOOP EXIT WHEN NOT"
                        + " pg_is_in_recovery(); PERFORM pg_sleep(0.01); END LOOP; END $$; SELECT NOT pg_is_in_recovery()");
        assertThat(r.calls().get(3)).startsWith("psql").contains("-v node=n2")
                .contains("-d host=198.18.0.12 user=repmgr dbname=repmgr");
        assertThat(r.calls().get(4)).isEqualTo(REGISTER + conf + " --log-to-file");
        assertThat(r.calls().get(5)).isEqualTo("pgflip promote --already-promoted --config /etc/pgflip/agent.yaml");
        assertThat(r.stderr()).as("the claim, and the promotion's times, for repmgrd's log").matches(
                "pgflip-promote: claimed the promotion of n2 on the witness; promoting\\n"
                        + "pgflip-promote: n2 is a primary [0-9]+ ms after the call; recording it on the witness and in"
                        + " repmgr \\(repmgr primary register --force\\)\\n"
                        + "pgflip-promote: the witness recorded the promotion of n2 onto timeline 2 [0-9]+ ms after"
                        + " the call\\n");
        assertThat(Files.readString(dir.resolve("record-sql.txt"))).as("only a node out of recovery, on the witness")
                .contains("SELECT NOT pg_is_in_recovery() AS promoted \\gset\n\\if :promoted\n")
                .contains("\\connect -reuse-previous=off :\"witness\"")
                .contains(dev.pgflip.agent.watch.PromotionClaims.RECORD_PROMOTION_PSQL);
        assertThat(Files.readString(dir.resolve("claim-sql.txt"))).contains(PromoteWrapper.claimScript())
                .contains("\\if :alone\n\\echo alone\n")
                .contains("\\connect -reuse-previous=off :\"witness\"")
                .contains("SELECT 'node ' || node_name || ' ' || conninfo FROM repmgr.nodes WHERE type <> 'witness'")
                .contains("INSERT INTO pgflip.promotion").contains("WHERE pgflip.promotion.eligible RETURNING 'claimed'");
    }

    @Test
    void theAgentIsToldWhenTheWrapperSawTheNodeLeaveRecovery() throws Exception {
        long before = System.currentTimeMillis();
        Result r = run();
        long after = System.currentTimeMillis();

        assertThat(r.exit()).as(r.stderr()).isZero();
        assertThat(Long.parseLong(Files.readString(dir.resolve("writable-at.txt")).strip()))
                .as("epoch ms taken after the promotion answered, before the agent ran").isBetween(before, after);
        String script = Files.readString(dir.resolve("pgflip-promote"));
        assertThat(script.split("export PGFLIP_WRITABLE_AT=", -1)).as("exported once").hasSize(2);
        assertThat(script.indexOf("export PGFLIP_WRITABLE_AT=")).as("only once the promotion answered")
                .isGreaterThan(script.indexOf("pg_promote(wait => false)"));
    }

    @Test
    void aNodePromotedBeforeTheWrapperRanHasNoWrapperTimeForTheAgent() throws Exception {
        Files.writeString(dir.resolve("promoted.txt"), "");

        Result r = run();

        assertThat(r.exit()).as(r.stderr()).isZero();
        assertThat(Files.readString(dir.resolve("writable-at.txt")).strip())
                .as("nobody here saw when it left recovery: the agent's own time is the honest one").isEqualTo("unset");
    }

    @Test
    void anOldPrimaryThatAnswersAgainIsLeftInChargeAndTheClaimWithdrawn() throws Exception {
        // It came back between repmgrd's decision and the claim: promoting now would make two primaries. The claim,
        // left standing, would keep that primary fenced with nobody to replace it.
        Files.writeString(dir.resolve("recovery-198.18.0.11.txt"), "f\n");
        Files.writeString(dir.resolve("withdraw.txt"), "withdrawn\n");
        Result r = run();

        assertThat(r.exit()).as("repmgr's own status for a refused promotion, for repmgrd").isEqualTo(8);
        assertThat(r.promoted()).isFalse();
        assertThat(r.calls()).as("claim, the old primary reached then asked, withdrawal, then only pg_isready of it;"
                + " no promotion, no agent").hasSizeGreaterThan(4);
        assertThat(r.calls().subList(4, r.calls().size())).as("the settle: the old primary reached until steady")
                .allMatch(c -> c.equals("pg_isready -q -d " + OLD_PRIMARY.substring("node n1 ".length()).strip()));
        assertThat(r.calls().get(1)).startsWith("pg_isready");
        assertThat(r.calls().get(2)).startsWith("psql").contains("-d host=198.18.0.11 port=5432 user=repmgr dbname=repmgr")
                .contains("SELECT pg_is_in_recovery()");
        assertThat(r.calls().get(3)).startsWith("psql").contains("-v node=n2");
        assertThat(Files.readString(dir.resolve("withdraw-sql.txt"))).contains("\\if :standby")
                .contains("\\connect -reuse-previous=off :\"witness\"")
                .contains("UPDATE pgflip.promotion SET promoting = false").contains("WHERE node_name = :'node' AND promoting");
        assertThat(r.stderr()).contains("node n1 still answers as a primary: not promoting n2")
                .contains("n2 is still a standby: its claim on the witness is withdrawn")
                .containsPattern("node n1 answered steadily [0-9]+ ms after the claim was withdrawn");
    }

    @Test
    void anOldPrimaryRestartedByItsFenceAfterTheClaimIsWaitedForBeforeRepmgrdResumes() throws Exception {
        // Seen on the lab after a 4 s freeze: n1 answered again, the claim was withdrawn, but n1's watch had seen the
        // claim and restarted it under a fence; repmgrd, resuming, found it refusing connections and terminated.
        Files.writeString(dir.resolve("recovery-198.18.0.11.txt"), "f\n");
        Files.writeString(dir.resolve("withdraw.txt"), "withdrawn\n");
        // the primary check's answer, then the fence's restart: no answer three times, then rejecting (starting up)
        Files.writeString(dir.resolve("reach-seq-198.18.0.11.txt"), "0\n0\n2\n2\n2\n1\n");
        long before = System.nanoTime();
        Result r = run();
        long tookMs = (System.nanoTime() - before) / 1_000_000;

        assertThat(r.exit()).isEqualTo(8);
        assertThat(r.promoted()).isFalse();
        long reached = r.calls().stream().filter(c -> c.startsWith("pg_isready")).count();
        // How many answers fill the settle depends on the machine's load: the restart must be seen and answered past;
        // the settle's length is asserted below.
        assertThat(reached).as("the restart seen, then answers until the settle was steady").isGreaterThan(6 + 1);
        assertThat(tookMs).as("steady answers for the settle after the last refusal")
                .isGreaterThanOrEqualTo(WAITS.settleMs());
        assertThat(r.stderr()).containsPattern("node n1 answered steadily [0-9]+ ms after the claim was withdrawn");
    }

    @Test
    void aSettleThatCannotRunPgIsReadyDoesNotWait() throws Exception {
        Files.writeString(dir.resolve("recovery-198.18.0.11.txt"), "f\n");
        Files.writeString(dir.resolve("withdraw.txt"), "withdrawn\n");
        Files.writeString(dir.resolve("reach-seq-198.18.0.11.txt"), "0\n127\n");
        Result r = run();

        assertThat(r.exit()).isEqualTo(8);
        assertThat(r.stderr()).contains("cannot reach node n1 with pg_isready: not waiting");
        assertThat(r.calls().stream().filter(c -> c.startsWith("pg_isready")).count()).isEqualTo(2);
    }

    @Test
    void withoutAClaimNothingCanFenceTheOldPrimarySoTheHookDoesNotWait() throws Exception {
        Files.writeString(dir.resolve("recovery-198.18.0.11.txt"), "f\n");
        Files.writeString(dir.resolve("claim.txt"), OLD_PRIMARY + "no-witness\n");
        Result r = run();

        assertThat(r.exit()).isEqualTo(8);
        assertThat(r.stderr()).doesNotContain("waiting until");
        assertThat(r.calls().stream().filter(c -> c.startsWith("pg_isready")).count()).isEqualTo(1);
    }

    @Test
    void aNodeWhoseServerDoesNotAnswerWithinTheBoundIsNotAskedAndThePromotionGoesOn() throws Exception {
        // A frozen server: its kernel completes the handshake, nothing answers. psql would wait out connect_timeout.
        Files.writeString(dir.resolve("recovery-198.18.0.11.txt"), "f\n");
        Files.writeString(dir.resolve("reach-198.18.0.11.txt"), "hang");
        Result r = run();

        assertThat(r.exit()).as(r.stderr()).isZero();
        assertThat(r.promoted()).isTrue();
        assertThat(r.calls()).as("pg_isready given up on; psql never asked it")
                .noneMatch(c -> c.startsWith("psql") && c.contains("host=198.18.0.11"));
    }

    @Test
    void everyReachStatusButSilenceLeavesTheQuestionToPsql() throws Exception {
        // pg_isready's 1 (starting up, shutting down: psql then says whether it can be asked), its 3 (it refused its
        // arguments), or pg_isready or timeout not executable (126) or missing (127): the old primary, a healthy
        // primary here, must still stop the promotion.
        for (String status : List.of("1", "3", "126", "127")) {
            Files.writeString(dir.resolve("recovery-198.18.0.11.txt"), "f\n");
            // the primary check's call only: the settle after the withdrawal then finds the node answering
            Files.writeString(dir.resolve("reach-seq-198.18.0.11.txt"), status + "\n");
            Files.writeString(dir.resolve("withdraw.txt"), "withdrawn\n");
            Files.deleteIfExists(calls);
            Result r = run();

            assertThat(r.exit()).as("status " + status).isEqualTo(8);
            assertThat(r.promoted()).isFalse();
            assertThat(r.stderr()).contains("node n1 still answers as a primary: not promoting n2");
        }
    }

    @Test
    void anOldPrimaryInRecoveryIsNoPrimary() throws Exception {
        Files.writeString(dir.resolve("recovery-198.18.0.11.txt"), "t\n");
        Result r = run();
        assertThat(r.exit()).as(r.stderr()).isZero();
        assertThat(r.promoted()).isTrue();
    }

    @Test
    void aRefusedPromotionWhoseClaimCannotBeWithdrawnSaysWhatFollows() throws Exception {
        Files.writeString(dir.resolve("recovery-198.18.0.11.txt"), "f\n");
        Result r = run(); // no withdraw.txt: psql fails
        assertThat(r.exit()).isEqualTo(8);
        assertThat(r.stderr()).contains("could not be withdrawn: the primary stays fenced until n2 streams from it again");
    }

    @Test
    void anErrorFromPgPromoteSignalledNothingSoTheClaimIsWithdrawn() throws Exception {
        Files.writeString(dir.resolve("promote-exit.txt"), "1");
        Files.writeString(dir.resolve("promote.txt"), "");
        Files.writeString(dir.resolve("withdraw.txt"), "withdrawn\n");
        Result r = run();
        assertThat(r.exit()).isEqualTo(8);
        assertThat(r.calls()).noneMatch(c -> c.startsWith("repmgr") || c.startsWith("pgflip"));
        assertThat(r.stderr()).contains("pg_promote() failed on n2 (psql exit 1, its error above): not promoted")
                .contains("its claim on the witness is withdrawn");
    }

    @Test
    void aNodeThatLeftRecoveryAnywayKeepsItsClaim() throws Exception {
        Files.writeString(dir.resolve("promote-exit.txt"), "1");
        Files.writeString(dir.resolve("withdraw.txt"), ""); // \\if :standby false: nothing printed
        Result r = run();
        assertThat(r.exit()).isEqualTo(8);
        assertThat(r.stderr()).contains("n2 left recovery or holds no claim: the claim stands");
    }

    @Test
    void aPromotionNotSeenDoneKeepsItsClaimForItMayStillEndInAPrimary() throws Exception {
        // The session answers false when recovery has not ended within the wait, and a broken connection
        // says nothing: withdrawing the claim then could unfence the old primary beside a node about to be writable.
        Files.writeString(dir.resolve("promote.txt"), "f\n");
        Result notYet = run();
        assertThat(notYet.exit()).isEqualTo(8);
        assertThat(notYet.stderr()).contains("it may still be promoting, so its claim on the witness stands");
        assertThat(dir.resolve("withdraw-sql.txt")).doesNotExist();

        Files.delete(calls);
        Files.writeString(dir.resolve("promote-exit.txt"), "2");
        Files.writeString(dir.resolve("promote.txt"), "");
        Result broken = run();
        assertThat(broken.exit()).isEqualTo(8);
        assertThat(broken.stderr()).contains("(psql exit 2, answer '', waited up to 60 s)");
        assertThat(broken.calls()).noneMatch(c -> c.startsWith("repmgr") || c.startsWith("pgflip"));
        assertThat(dir.resolve("withdraw-sql.txt")).doesNotExist();
    }

    @Test
    void aPromotionRepmgrCannotRecordStillExitsZeroAndSaysWhatToRun() throws Exception {
        // Exit 0 once the node is primary: a non-zero exit would make repmgrd record PROMOTION_FAILED (issue 13, hole 9).
        // Asked again until the bound: the old primary (unreachable here) may be restarting under its fence.
        script("repmgr", "echo \"repmgr $*\" >> " + calls + "\nexit 1\n");
        Result r = run();
        assertThat(r.exit()).as(r.stderr()).isZero();
        assertThat(r.calls()).last().isEqualTo("pgflip promote --already-promoted --config /etc/pgflip/agent.yaml");
        assertThat(r.calls().stream().filter(c -> c.startsWith(REGISTER)).count()).isGreaterThan(1);
        assertThat(r.stderr()).contains("n2 is promoted but repmgr could not record it (see repmgr's log): run 'repmgr"
                + " primary register --force' on n2");
    }

    @Test
    void anOldPrimaryBackAfterThePromotionIsWaitedForUntilRepmgrRecordsThisNode() throws Exception {
        // thaw-at-election drill, 2026-12-07: the old primary, silent at the check before pg_promote, answered as a
        // primary when repmgr was asked to record this node, and repmgr refused; its watch fences it soon after.
        Files.writeString(dir.resolve("reach-seq-198.18.0.11.txt"), "2\n");
        Files.writeString(dir.resolve("recovery-198.18.0.11.txt"), "f\n");
        script("repmgr", "echo \"repmgr $*\" >> " + calls + "\n"
                + "seq=" + dir.resolve("repmgr-seq.txt") + "\n"
                // refused while the seq has a line; then it records (the old primary fenced meanwhile)
                + "st=$(head -n 1 \"$seq\"); sed -i 1d \"$seq\"\n"
                + "exit ${st:-0}\n");
        Files.writeString(dir.resolve("repmgr-seq.txt"), "1\n");
        Result r = run();
        assertThat(r.exit()).as(r.stderr()).isZero();
        assertThat(r.calls().stream().filter(c -> c.startsWith(REGISTER))).as("refused once, then recorded").hasSize(2);
        assertThat(r.calls()).last().isEqualTo("pgflip promote --already-promoted --config /etc/pgflip/agent.yaml");
        assertThat(r.stderr()).contains("pgflip-promote: repmgr did not record n2 as the primary (see its log; it refuses"
                        + " while another registered primary answers as one")
                .containsPattern("repmgr recorded n2 as the primary [0-9]+ ms after its first refusal")
                .doesNotContain("could not record");
    }

    @Test
    void anOldPrimaryThatStaysAPrimaryIsWaitedForNoLongerThanTheBound() throws Exception {
        // Silent at the check before pg_promote, then a second to answer pg_isready (back from a freeze, many
        // connections queued): named all the same, past the check's 0.5 s.
        Files.writeString(dir.resolve("reach-seq-198.18.0.11.txt"), "2\n");
        Files.writeString(dir.resolve("reach-198.18.0.11.txt"), "slow\n");
        Files.writeString(dir.resolve("recovery-198.18.0.11.txt"), "f\n");
        script("repmgr", "echo \"repmgr $*\" >> " + calls + "\nexit 1\n");
        Result r = run();
        assertThat(r.exit()).as(r.stderr()).isZero();
        long registers = r.calls().stream().filter(c -> c.startsWith(REGISTER)).count();
        assertThat(registers).as("asked again every " + PromoteWrapper.REGISTER_RETRY_MS + " ms, then given up")
                .isBetween(2L, (long) WAITS.registerWaitMs() / PromoteWrapper.REGISTER_RETRY_MS + 2);
        assertThat(r.calls()).last().isEqualTo("pgflip promote --already-promoted --config /etc/pgflip/agent.yaml");
        assertThat(r.stderr()).contains("n2 is promoted but repmgr could not record it: node n1 still answers as a"
                + " primary after 2 s").contains("run 'repmgr primary register --force' on n2 once node n1 is fenced or down");
    }

    @Test
    void promotedByTheSwitchoverTheHookOnlyRecordsThePromotionInRepmgrThenHandsOverToTheAgent() throws Exception {
        // The switchover saw this node receive the old primary's shutdown checkpoint, its last record: no other standby
        // can hold more, and a sibling's answer that would refuse a failover is not even asked for.
        otherStandby("198.18.0.11 5432|9000");
        Result r = runWith(java.util.Map.of(PromoteWrapper.PROMOTED_BY, "switchover"));
        assertThat(r.exit()).as(r.stderr()).isZero();
        assertThat(r.calls()).as("no claim (the switchover made it), no sibling asked, no second promotion").hasSize(3);
        assertThat(r.calls().get(0)).startsWith("psql").contains("-v node=n2");
        assertThat(r.calls().subList(1, 3)).containsExactly(REGISTER + conf + " --log-to-file",
                "pgflip promote --already-promoted --config /etc/pgflip/agent.yaml");
        assertThat(r.stderr()).contains("promoted by pgflip switchover: recording n2 as the primary on the witness and"
                + " in repmgr").contains("the witness recorded the promotion of n2 onto timeline 2");
    }

    @Test
    void aNodePromotedByHandBeforeRepmgrdCalledTheHookClaimsNothingAndIsRecordedInRepmgr() throws Exception {
        // A claim made now could not be withdrawn (the node is out of recovery) and would stand for good: in the drill
        // hand-promote it later fenced the next node promoted, and the cluster had no writable primary.
        Files.writeString(dir.resolve("promoted.txt"), "");
        otherStandby("198.18.0.11 5432|9000");
        Result r = run();
        assertThat(r.exit()).as(r.stderr()).isZero();
        assertThat(r.promoted()).isFalse();
        assertThat(r.calls()).as("one session that finds the node out of recovery, then repmgr's record and the agent")
                .hasSize(3);
        assertThat(r.calls().get(0)).startsWith("psql").contains("-v node=n2");
        assertThat(r.calls().subList(1, 3)).containsExactly(REGISTER + conf + " --log-to-file",
                "pgflip promote --already-promoted --config /etc/pgflip/agent.yaml");
        assertThat(dir.resolve("claim-sql.txt")).doesNotExist();
        assertThat(r.stderr()).contains("n2 already left recovery (promoted outside this hook, by hand): nothing to"
                + " claim or promote");
    }

    @Test
    void aPromotionTheWitnessCannotRecordStillGoesOnAndSaysTheWatchRecordsIt() throws Exception {
        // The node is a primary already and repmgrd waits for the hook: a witness that fails (or a psql that the bound
        // stops) must not stop repmgr's record or the agent.
        Files.writeString(dir.resolve("record.txt"), "");
        Files.writeString(dir.resolve("record-exit.txt"), "2");
        Result r = run();
        assertThat(r.exit()).as(r.stderr()).isZero();
        assertThat(r.calls().subList(4, 6)).containsExactly(REGISTER + conf + " --log-to-file",
                "pgflip promote --already-promoted --config /etc/pgflip/agent.yaml");
        assertThat(r.stderr()).contains("the promotion of n2 could not be recorded on the witness (psql exit 2, its"
                + " error above): its watch records it at its next look");
    }

    @Test
    void aPromotionRecordOfANodeStillInRecoveryIsSaidAndNotFatal() throws Exception {
        Files.writeString(dir.resolve("record.txt"), "in-recovery\n");
        Result r = runWith(java.util.Map.of(PromoteWrapper.PROMOTED_BY, "switchover"));
        assertThat(r.exit()).as(r.stderr()).isZero();
        assertThat(r.stderr()).contains("n2 is still in recovery: its promotion is not recorded on the witness");
    }

    @Test
    void promotedByTheSwitchoverButNotRecordedByRepmgrTheAgentIsNotCalled() throws Exception {
        script("repmgr", "echo \"repmgr $*\" >> " + calls + "\necho 'server is in standby mode' >&2\nexit 6\n");
        Result r = runWith(java.util.Map.of(PromoteWrapper.PROMOTED_BY, "switchover"));
        assertThat(r.exit()).isEqualTo(6);
        assertThat(r.calls()).hasSize(2);
        assertThat(r.calls().get(1)).isEqualTo(REGISTER + conf + " --log-to-file");
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
        assertThat(r.stderr()).contains("find the witness on this node or claim the promotion of n2 there")
                .contains("not promoting");
        otherStandby("-|5000");
        Result withSibling = run();
        assertThat(withSibling.exit()).isEqualTo(1);
        assertThat(withSibling.promoted()).isFalse();
        assertThat(withSibling.stderr()).as("the claim in its own session after the other standbys were asked")
                .contains("cannot find the witness on this node or claim the promotion of n2 there");
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
        assertThat(r.calls()).as("the claim's session, the promotion, repmgr's record, the agent").hasSize(4);
        assertThat(r.promoted()).isTrue();
        assertThat(r.stderr()).startsWith("pgflip-promote: no witness registered: promoting n2 without a claim\n");
    }

    /** n4 (198.18.0.14) is the other standby; the old primary n1 is 198.18.0.11. */
    private void otherStandby(String answer) throws IOException {
        Files.writeString(dir.resolve("siblings.txt"), "n4 host=198.18.0.14 port=5432 user=repmgr dbname=repmgr\n");
        if (answer != null) {
            Files.writeString(dir.resolve("answer-198.18.0.14.txt"), answer + "\n");
        }
    }

    private boolean claimed(Result r) {
        return r.calls().stream().anyMatch(c -> c.contains("-v node=n2") && !c.contains("-F"));
    }

    @Test
    void anotherStandbyThatStreamsNoMoreAndHoldsNoMoreWalLetsThePromotionGoOn() throws Exception {
        otherStandby("-|5000");
        Result r = run();
        assertThat(r.exit()).as(r.stderr()).isZero();
        assertThat(r.promoted()).isTrue();
        assertThat(r.calls()).anyMatch(c -> c.contains("-d host=198.18.0.14 port=5432"));
        assertThat(r.stderr()).containsPattern("no other standby streams from a writable primary or holds WAL this node"
                + " lacks \\([0-9]+ ms after the call\\)");
    }

    @Test
    void anotherStandbyStillStreamingFromAWritablePrimaryMeansAPartialPartitionAndNoPromotionNorClaim()
            throws Exception {
        otherStandby("198.18.0.11 5432|5100");
        Files.writeString(dir.resolve("recovery-198.18.0.11.txt"), "f\n");
        long started = System.nanoTime();
        Result r = run();
        long tookMs = (System.nanoTime() - started) / 1_000_000;
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.promoted()).isFalse();
        assertThat(claimed(r)).as("a claim would make the primary fence itself").isFalse();
        assertThat(r.stderr()).contains("another standby still streams from a writable primary after 2 s: n4 (from"
                + " 198.18.0.11)").contains("not promoting");
        assertThat(tookMs).as("it waited for the stream to stop").isGreaterThanOrEqualTo(WAITS.siblingWaitMs());
    }

    @Test
    void aSenderThisNodeCannotAskCountsAsAWritablePrimary() throws Exception {
        otherStandby("198.18.0.11 5432|5000");
        Files.writeString(dir.resolve("claim-exit.txt"), "0");
        Result r = run();
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.stderr()).contains("n4 (from 198.18.0.11)");
    }

    @Test
    void anotherStandbyStreamingFromANodeInRecoveryIsACascadeNotAPrimary() throws Exception {
        otherStandby("198.18.0.11 5432|5000");
        Files.writeString(dir.resolve("recovery-198.18.0.11.txt"), "t\n");
        Result r = run();
        assertThat(r.exit()).as(r.stderr()).isZero();
        assertThat(r.promoted()).isTrue();
    }

    @Test
    void anotherStandbyWithMoreWalIsPromotedInsteadNotThisOne() throws Exception {
        otherStandby("-|7400");
        Result r = run();
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.promoted()).isFalse();
        assertThat(claimed(r)).isFalse();
        assertThat(r.stderr()).contains("the other standby n4 (2400 bytes more) has received WAL this node lacks")
                .contains("promote it instead");
    }

    @Test
    void anotherStandbyThatCannotBeAskedMayHoldAcknowledgedCommitsSoNoPromotion() throws Exception {
        otherStandby(null);
        Result r = run();
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.promoted()).isFalse();
        assertThat(r.stderr()).contains("cannot ask the other standby n4").contains("by hand");
    }
}
