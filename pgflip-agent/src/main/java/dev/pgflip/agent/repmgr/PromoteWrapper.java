package dev.pgflip.agent.repmgr;

import dev.pgflip.agent.db.NodeTimeline;
import dev.pgflip.agent.event.EventRecorder;
import dev.pgflip.agent.watch.PromotionClaims;
import java.nio.file.Path;

/**
 * repmgr's {@code promote_command} as a shell script: promote first, in shell, so no JVM start delays the promotion
 * (the agent's JVM took 0.5 s idle and 1.2 s under a drill's load to start, measured), then let the agent confirm the
 * node and the floating IP. Before promoting it refuses, in milliseconds, when this node must not be promoted:
 * <ul>
 *   <li>its fence record exists (a fenced old primary, restarted in recovery, that repmgrd took for a standby);
 *   <li>another standby may hold commits the primary acknowledged that this node lacks ({@link #siblingCheck}): with
 *       {@code ANY 1} over two or more standbys, one standby's flush acknowledges a commit;
 *   <li>its promotion cannot be claimed on the witness ({@link PromotionClaims}): the primary marked it ineligible
 *       before acknowledging commits alone, or the witness cannot be reached to ask.
 * </ul>
 * The other standbys are asked before the claim: a claim made and then not followed by a promotion would make the
 * primary fence itself for nothing. Once claimed, it promotes as {@code repmgr standby promote} would, without that
 * command's process, logins and polling (about 0.5 s before pg_promote and up to 1 s after it, measured on the lab):
 * no other data node may answer as a primary ({@link #primaryCheck}), then {@code pg_promote} waits for the end of
 * recovery ({@link #promotion}), then {@code repmgr primary register --force} records the node as the primary (the old
 * primary's record made inactive, the {@code primary_register} event sent) before repmgrd resumes. Run by
 * {@code pgflip switchover} with {@link #PROMOTED_BY}{@code =switchover}, the node is already promoted (the switchover
 * claimed and promoted it, its old primary cleanly stopped): the hook then records the promotion
 * ({@code repmgr primary register --force}) and hands over to the agent. Run on a node already out of recovery
 * (promoted by hand behind repmgrd's back; repmgrd calls the hook when its upstream then goes away), it does the same
 * and claims nothing: a claim cannot be withdrawn once the node left recovery, and one that stood for good would fence
 * a later promotion of another node.
 * Usage: {@code pgflip-promote REPMGR_CONF AGENT_CONF [FENCE_STATE]}: the fence record is the agent's
 * {@code fencing.state_file}, {@code fence.state} beside repmgr.conf unless given (the lab's layout; the guide passes
 * {@code /var/lib/pgflip/fence.state}).
 */
public final class PromoteWrapper {
    /** How long another standby may still stream from the old primary before this node refuses (see siblingCheck). */
    static final long SIBLING_WAIT_MS = 10_000;

    /**
     * The hook's long waits: for another standby's stream from the old primary to end ({@link #siblingCheck}), for
     * repmgr to record the promotion ({@link #registerFunction}), and for an old primary found answering to answer
     * steadily ({@link #settleFunction}). A droplet's hook has {@link #STANDARD}; the hook's own tests render shorter
     * ones, so that each wait is played out in seconds, not tens of them.
     */
    public record Waits(long siblingWaitMs, int registerWaitMs, int settleMs) {
        public static final Waits STANDARD = new Waits(SIBLING_WAIT_MS, REGISTER_WAIT_MS, SETTLE_MS);
    }
    /**
     * Set to {@code switchover} in the hook's environment by {@code pgflip switchover}, which has claimed the promotion
     * and promoted the node itself: the hook then only records it in repmgr and hands over to the agent.
     */
    public static final String PROMOTED_BY = "PGFLIP_PROMOTED_BY";

    /** repmgr's exit status for a promotion that failed (ERR_PROMOTION_FAIL), which the hook's refusals keep. */
    static final int PROMOTION_FAILED = 8;
    /** How long pg_promote may take to end recovery: repmgr's promote_check_timeout default. */
    static final int PROMOTE_WAIT_SECONDS = 60;
    /**
     * How long another data node's server may take to answer pg_isready before the hook counts it unreachable (see
     * primaryCheck): a server on the same private network answers in milliseconds.
     */
    static final int REACH_MS = 500;
    /** How often the hook looks whether recovery has ended after pg_promote signalled it. */
    static final int PROMOTE_POLL_MS = 10;
    /** What starts each line of the claim session's list of the other data nodes. */
    static final String NODE_LINE = "node";

    private PromoteWrapper() {}

    /**
     * @param pgBin directory of psql and repmgr
     * @param agent the agent's launcher ({@code /usr/bin/pgflip} on a droplet)
     */
    public static String render(Path pgBin, Path agent, String header) {
        return render(pgBin, agent, header, Waits.STANDARD);
    }

    public static String render(Path pgBin, Path agent, String header, Waits waits) {
        String psql = pgBin.resolve("psql").toString();
        return "#!/bin/sh\n"
                + "# " + header + "\n"
                + "# repmgr's promote_command. Usage: pgflip-promote REPMGR_CONF AGENT_CONF [FENCE_STATE]\n"
                + "export PGFLIP_CALLED_AT=$(date +%s%3N)\n"
                + "conf=\"$1\"\n"
                + "say() { echo \"pgflip-promote: $*\" >&2; }\n"
                + "fence=\"${3:-$(dirname \"$conf\")/fence.state}\"\n"
                + "if [ -e \"$fence\" ]; then\n"
                + "  say \"this node is fenced ($(head -n 1 \"$fence\")): not promoting; see pgflip rejoin\"\n"
                + "  exit 1\n"
                + "fi\n"
                // Processes cost 10-30 ms each on a loaded node (measured on the lab during kill drills: a sed 29 ms, a
                // date 13 ms), and a failover's first second is loaded: one sed for both values, and the hook's lines
                // are split with the shell's own expansions, not with head, tail, grep or sed.
                + "nl='\n'\n"
                + "while IFS= read -r line; do\n"
                + "  case $line in\n"
                + "    \"node \"*) node=${line#node } ;;\n"
                + "    \"local \"*) local=${line#local } ;;\n"
                + "  esac\n"
                + "done <<EOF\n"
                + "$(sed -n -e \"s/^node_name *= *'\\{0,1\\}\\([^']*\\)'\\{0,1\\} *$/node \\1/p\""
                + " -e \"s/^conninfo *= *'\\(.*\\)' *$/local \\1/p\" \"$conf\")\n"
                + "EOF\n"
                + "if [ \"${" + PROMOTED_BY + ":-}\" = switchover ]; then\n"
                // pgflip switchover claimed this promotion on the witness and promoted the node itself (pg_promote):
                // repmgr records it (and refuses a node still in recovery).
                + "  say \"promoted by pgflip switchover: recording $node as the primary on the witness and in repmgr"
                + " (repmgr primary register --force)\"\n"
                + recordOnWitness(psql, "  ")
                + "  " + register(pgBin) + " || exit $?\n"
                + handOverToAgent(agent, "  ")
                + "fi\n"
                + primariesFunction(psql, pgBin.resolve("pg_isready").toString())
                + registerFunction(pgBin, waits.registerWaitMs())
                + siblingCheck(psql, waits.siblingWaitMs())
                // Promoted behind repmgrd's back (pg_ctl promote, pg_promote() by hand) before repmgrd called this: a
                // claim made now would stand for good (the withdrawal keeps the claim of a node out of recovery) and
                // later fence a legitimate promotion of another node (seen in the drill hand-promote). The watch has
                // recorded the promotion on the witness when it saw it; repmgr must record it too.
                + "if [ -n \"${already_primary:-}\" ]; then\n"
                + "  say \"$node already left recovery (promoted outside this hook, by hand): nothing to claim or"
                + " promote; recording it in repmgr (repmgr primary register --force)\"\n"
                + "  record_in_repmgr\n"
                + handOverToAgent(agent, "  ")
                + "fi\n"
                // Alone (no other standby), the sibling check's session has claimed already: one psql and one login
                // less before the promotion (each cost 0.1-0.2 s on the loaded lab).
                + "if [ -z \"${claim+set}\" ]; then\n"
                + "  claim=$(" + psql + " -X -q -A -t -v node=\"$node\" -d \"$local\" <<'SQL'\n"
                + claimScript()
                + "SQL\n"
                + "  ) || { say \"cannot find the witness on this node or claim the promotion of $node there: not promoting\"; exit 1; }\n"
                + "fi\n"
                // The claim's session lists the other data nodes ("node NAME CONNINFO") beside its verdict.
                + "verdict=\"\"; others=\"\"; seen=\"\"\n"
                + "while IFS= read -r line; do\n"
                + "  case $line in\n"
                + "    \"" + NODE_LINE + " \"*) others=\"$others${line#" + NODE_LINE + " }$nl\" ;;\n"
                + "    *) [ -z \"$seen\" ] && { verdict=$line; seen=yes; } ;;\n"
                + "  esac\n"
                + "done <<EOF\n"
                + "$claim\n"
                + "EOF\n"
                + "case \"$verdict\" in\n"
                // repmgrd logs this line: where a slow promotion's time went (the claim, or the promotion after it).
                + "  claimed) say \"claimed the promotion of $node on the witness; promoting\" ;;\n"
                + "  no-witness) say \"no witness registered: promoting $node without a claim\" ;;\n"
                + "  *) say \"$node is ineligible for promotion (the primary acknowledged commits it may lack): not promoting\"\n"
                + "     exit 1 ;;\n"
                + "esac\n"
                + withdrawClaimFunction(psql)
                + primaryCheck(psql, pgBin.resolve("pg_isready").toString(), waits.settleMs())
                + promotion(psql)
                + "say \"$node is a primary $(( writable_at - PGFLIP_CALLED_AT )) ms after the call; recording it on"
                + " the witness and in repmgr (repmgr primary register --force)\"\n"
                + "[ \"$verdict\" = claimed ] && " + recordOnWitness(psql, "")
                + "record_in_repmgr\n"
                + handOverToAgent(agent, "");
    }

    /**
     * The witness records the promotion and its new timeline ({@link PromotionClaims#RECORD_PROMOTION_PSQL}) in one psql
     * session, before repmgr does and before the agent: an old primary that restarts while this node is already down
     * again then starts in recovery as outranked, not merely unproven. Only a node out of recovery is recorded (the
     * switchover's node is checked here; repmgr refuses one still in recovery a moment later). Bounded by
     * {@value #RECORD_SECONDS} s, since the node is a primary already and repmgrd waits for this hook; a failure is said
     * and not fatal: the watch records the promotion at its next look, as it did alone before.
     */
    static String recordOnWitness(String psql, String indent) {
        return indent + "{ recorded=$(timeout " + RECORD_SECONDS + " " + psql + " -X -q -A -t -v node=\"$node\" -d \"$local\" <<'SQL'\n"
                + "\\set ON_ERROR_STOP 1\n"
                + "SELECT NOT pg_is_in_recovery() AS promoted \\gset\n"
                + "\\if :promoted\n"
                + "SELECT " + NodeTimeline.OF_PRIMARY + " AS timeline \\gset\n"
                + FIND_WITNESS
                + "\\if :has_witness\n"
                + "\\connect -reuse-previous=off :\"witness\"\n"
                + PromotionClaims.RECORD_PROMOTION_PSQL + " \\gset before_\n"
                + "\\echo " + RECORDED + " :timeline\n"
                + "\\else\n"
                + "\\echo no-witness\n"
                + "\\endif\n"
                + "\\else\n"
                + "\\echo in-recovery\n"
                + "\\endif\n"
                + "SQL\n"
                + ") || recorded=\"psql exit $?, its error above\"\n"
                + "case \"$recorded\" in\n"
                + "  " + RECORDED + "\\ *) say \"the witness recorded the promotion of $node onto timeline ${recorded#* }"
                + " $(( $(date +%s%3N) - PGFLIP_CALLED_AT )) ms after the call\" ;;\n"
                + "  no-witness) ;;\n"
                + "  in-recovery) say \"$node is still in recovery: its promotion is not recorded on the witness\" ;;\n"
                + "  *) say \"the promotion of $node could not be recorded on the witness ($recorded): its watch records it"
                + " at its next look\" ;;\n"
                + "esac; }\n";
    }

    /**
     * psql: the witness's conninfo from this node's repmgr.nodes into {@code :witness}, and {@code :has_witness}, for a
     * {@code \\connect} there (the conninfo travels on stdin, never on argv).
     */
    private static final String FIND_WITNESS = "SELECT coalesce(max(conninfo), '') AS witness, count(*) > 0 AS"
            + " has_witness FROM repmgr.nodes WHERE type = 'witness' AND active \\gset\n";

    /** The record's line when the witness recorded this node's promotion, before its timeline. */
    static final String RECORDED = "recorded";
    /** How long the hook may take to record the promotion on the witness. */
    static final int RECORD_SECONDS = 5;

    /**
     * The shell function {@code record_in_repmgr}: repmgr records the node as the primary. repmgr refuses while another
     * registered primary answers as one ("there is already an active registered primary"): an old primary back after
     * this promotion, too late for {@link #primaryCheck} to see it (thaw-at-election drill, 2026-12-07, 3 of 3: the
     * frozen primary continued 0.5 s after the election, accepted no connection within that check's bound for 2.5 s,
     * then answered as a primary until its watch fenced it; without the record, repmgrd on the promoted node kept
     * monitoring the old primary as its upstream, terminated when it stopped, and pgflip rejoin refused to rejoin it).
     * That node's watch fences it on seeing the promotion recorded on the witness (just before): it then restarts in
     * recovery, refusing connections meanwhile, and repmgr records this node. So the hook asks again every
     * {@value #REGISTER_RETRY_MS} ms, at most {@value #REGISTER_WAIT_MS} ms, whatever repmgr's reason (its message goes
     * to its log, and a node restarting under its fence answers nothing a look could tell from a node that is down);
     * repmgrd waits, the warm watch has moved the IP. A failure is said, not fatal: exit 0 all the same once the node is
     * primary (issue 13, hole 9), since a non-zero exit would make repmgrd record PROMOTION_FAILED and go on monitoring a
     * primary as a standby.
     */
    static String registerFunction(Path pgBin, int waitMs) {
        return "record_in_repmgr() {\n"
                + "  register_from=$(date +%s%3N); told=\"\"\n"
                + "  until " + register(pgBin) + "; do\n"
                + "    if [ $(( $(date +%s%3N) - register_from )) -ge " + waitMs + " ]; then\n"
                + "      find_primaries " + REGISTER_REACH_SECONDS + "\n"
                + "      if [ -n \"$alive\" ]; then\n"
                + "        say \"$node is promoted but repmgr could not record it: node$alive still answers as a primary"
                + " after " + waitMs / 1000 + " s (its watch fences it once it sees this promotion on the witness:"
                + " is it running?); run 'repmgr primary register --force' on $node once node$alive is fenced or down\"\n"
                + "      else\n"
                + "        say \"$node is promoted but repmgr could not record it (see repmgr's log): run 'repmgr primary"
                + " register --force' on $node once the cause is fixed\"\n"
                + "      fi\n"
                + "      return 0\n"
                + "    fi\n"
                + "    [ -z \"$told\" ] && say \"repmgr did not record $node as the primary (see its log; it refuses while"
                + " another registered primary answers as one, as an old primary back after this promotion does until its"
                + " watch fences it on seeing the promotion on the witness): trying again every " + REGISTER_RETRY_MS
                + " ms for up to " + waitMs / 1000 + " s\"\n"
                + "    told=yes\n"
                + "    sleep " + REGISTER_RETRY_MS / 1000.0 + "\n"
                + "  done\n"
                + "  [ -n \"$told\" ] && say \"repmgr recorded $node as the primary $(( $(date +%s%3N) - register_from ))"
                + " ms after its first refusal\"\n"
                + "  return 0\n"
                + "}\n";
    }

    /** How long the hook keeps asking repmgr to record the promotion while an old primary still answers as one. */
    static final int REGISTER_WAIT_MS = 10_000;
    static final int REGISTER_RETRY_MS = 500;
    /**
     * How long a node may take to answer pg_isready when the hook, giving up, names the primary repmgr refused over: as
     * long as repmgr's own look (connect_timeout, 2 s at least) and more; the 0.5 s of the check before pg_promote
     * missed an old primary back from a freeze and slow to accept connections for 2.5 s.
     */
    static final int REGISTER_REACH_SECONDS = 3;

    /**
     * The agent confirms the node and the IP. The warm 'pgflip watch' moves the IP first: this must not compete with it
     * for the CPU.
     */
    private static String handOverToAgent(Path agent, String indent) {
        return indent + "exec nice -n 5 " + agent + " promote --already-promoted --config \"$2\"\n";
    }

    private static String register(Path pgBin) {
        return pgBin.resolve("repmgr") + " primary register --force -f \"$conf\" --log-to-file";
    }

    /**
     * What {@code repmgr standby promote} checks before promoting, without its process, its logins and its checks for
     * options the hook does not use (about 0.5 s of a kill's failover on the loaded lab): no other data node answers as
     * a primary (the old one back between repmgrd's decision and now). Each is asked in its own psql, as repmgr asks
     * them; one that cannot be reached is not a primary anyone can write to through this cluster's conninfo. Found,
     * the claim is withdrawn and the hook exits 8, repmgr's own status for it; repmgrd then records that the primary
     * reappeared.
     * <p>
     * Reached first with {@code pg_isready} bounded at {@value #REACH_MS} ms: a node that gives no answer in that time
     * is skipped, as unreachable as one that does not answer at all, which is what repmgrd just found twice; any other
     * outcome (an answer, or a pg_isready or timeout that could not run) leaves the question to psql, whose own waits
     * stay as the conninfo says. A check that cannot run must not count as silence: in the lab test without
     * pg_isready beside psql it did, and the hook promoted a standby beside a healthy primary. Without the bound a
     * silent node held every promotion: a SYN into a link that is down waits for the kernel's first retransmission (1 s, whatever tcp_user_timeout says: link-down drills, hook called to primary
     * 1.1-1.2 s against 0.2-0.3 s after a kill), and a frozen server, whose kernel still completes the handshake, for
     * libpq's connect_timeout (2 s at least). The price: a node that comes back within those 1-2 s but not within the
     * bound is not seen here; its claim on the witness (it fences itself when it sees it and this node no longer
     * replies to its walsender) and synchronous replication (its commits wait for a standby that is now being promoted)
     * still stand in its way.
     */
    static String primaryCheck(String psql, String pgIsReady, int settleMs) {
        return settleFunction(pgIsReady, settleMs)
                + "find_primaries " + REACH_MS / 1000.0 + "\n"
                + "if [ -n \"$alive\" ]; then\n"
                + "  say \"node$alive still answers as a primary: not promoting $node\"\n"
                + "  withdraw_claim\n"
                + "  [ \"$verdict\" = claimed ] && settle_reappeared\n"
                + "  exit " + PROMOTION_FAILED + "\n"
                + "fi\n";
    }

    /**
     * The shell function {@code find_primaries BOUND}: the other data nodes ({@code $others}, "NAME CONNINFO" a line)
     * that answer as a primary, into {@code $alive} (" n1 n4") and {@code $alive_ci} (their conninfos, one a line); a
     * node that gives no answer to {@code pg_isready} within BOUND seconds is skipped (see {@link #primaryCheck}).
     */
    static String primariesFunction(String psql, String pgIsReady) {
        return "find_primaries() {\n"
                + "  alive=\"\"; alive_ci=\"\"\n"
                + "  while IFS= read -r line; do\n"
                + "    [ -z \"$line\" ] && continue\n"
                + "    name=${line%% *}; ci=${line#* }\n"
                // Only silence skips the node: pg_isready's 2 (no answer) or timeout's 124 (the bound came first). Any
                // other status, pg_isready's 0 (accepting), 1 (starting up, shutting down), 3 (no attempt) or a
                // pg_isready or timeout that could not run (126, 127), leaves the question to psql, as before the bound.
                + "    timeout \"$1\" " + pgIsReady + " -q -d \"$ci\" </dev/null >/dev/null 2>&1\n"
                + "    case $? in 2|124) continue ;; esac\n"
                + "    answer=$(" + psql + " -X -q -A -t -d \"$ci\" -c \"SELECT pg_is_in_recovery()\" </dev/null 2>/dev/null)"
                + " || continue\n"
                + "    [ \"$answer\" = f ] && { alive=\"$alive $name\"; alive_ci=\"$alive_ci$ci\n\"; }\n"
                + "  done <<EOF\n"
                + "$others\n"
                + "EOF\n"
                + "}\n";
    }

    /**
     * The shell function {@code settle_reappeared}, run when a primary answered again after the claim: it returns once
     * every such node ({@code $alive_ci}, one conninfo a line) has answered {@code pg_isready} for {@value #SETTLE_MS} ms
     * in a row, or after {@value #SETTLE_MAX_MS} ms. Why: that primary's {@code pgflip watch} may have seen the claim and
     * be restarting it in recovery under a fence (it lifts once the claim is withdrawn and its peers stream from it),
     * and repmgrd, once this hook exits 8 and it finds the original primary back, resumes monitoring with one connection
     * attempt to it and terminates when that is refused ("upstream node must be running before repmgrd can start"):
     * seen on the lab after a 4 s freeze of the primary (2026-12-07), which left the standby without repmgrd, so
     * without automatic failover. The wait lies on a path where nothing is promoted and the primary is back.
     */
    static String settleFunction(String pgIsReady, int settleMs) {
        return "settle_reappeared() {\n"
                + "  say \"waiting until node$alive has answered for " + settleMs + " ms in a row (its watch may be"
                + " restarting it under a fence after the claim; repmgrd, resuming, connects to it once)\"\n"
                + "  settle_from=$(date +%s%3N); steady_from=$settle_from\n"
                + "  while :; do\n"
                + "    down=\"\"\n"
                + "    while IFS= read -r c; do\n"
                + "      [ -z \"$c\" ] && continue\n"
                + "      timeout " + REACH_MS / 1000.0 + " " + pgIsReady + " -q -d \"$c\" </dev/null >/dev/null 2>&1\n"
                // 1 rejecting (starting up, shutting down), 2 no answer, 124 the bound: not yet; any other status (a
                // pg_isready or timeout that cannot run) cannot show it either way, so there is nothing to wait for
                + "      case $? in 0) ;; 1|2|124) down=yes ;; *) say \"cannot reach node$alive with pg_isready: not"
                + " waiting\"; return 0 ;; esac\n"
                + "    done <<EOF\n"
                + "$alive_ci\n"
                + "EOF\n"
                + "    now=$(date +%s%3N)\n"
                + "    [ -n \"$down\" ] && steady_from=$now\n"
                + "    if [ $(( now - steady_from )) -ge " + settleMs + " ]; then\n"
                + "      say \"node$alive answered steadily $(( now - settle_from )) ms after the claim was withdrawn\"\n"
                + "      return 0\n"
                + "    fi\n"
                + "    if [ $(( now - settle_from )) -ge " + SETTLE_MAX_MS + " ]; then\n"
                + "      say \"node$alive did not answer steadily within " + SETTLE_MAX_MS / 1000 + " s: repmgrd may"
                + " not resume monitoring (see pgflip status)\"\n"
                + "      return 0\n"
                + "    fi\n"
                + "    sleep 0.1\n"
                + "  done\n"
                + "}\n";
    }

    /** How long a primary that answered again after the claim must keep answering before the hook hands back. */
    static final int SETTLE_MS = 2_000;
    /** The most the hook waits for that. */
    static final int SETTLE_MAX_MS = 20_000;

    /**
     * {@code pg_promote} in one psql session, then a wait for the end of recovery in the same session, as long as
     * repmgr's promote_check_timeout (60 s), looking every {@value #PROMOTE_POLL_MS} ms: {@code pg_promote(wait => true)}
     * looks every 100 ms, and the first look, at once, always finds recovery still running, so it answered 100 ms after
     * the signal though PostgreSQL ended recovery 36 ms after it (its log, link-down drill); {@code repmgr standby
     * promote} polls every promote_check_interval (1 s). An error (pg_promote's own, or the session's) signalled
     * nothing or cannot say, so the claim is withdrawn only for psql's status 1, an error the server raised; a broken
     * connection or a promotion still under way at the end of the wait may yet end in a primary, so the claim stands
     * (the old primary stays fenced: the safe side).
     */
    static String promotion(String psql) {
        return "promoted=$(" + psql + " -X -q -A -t -d \"$local\" -c \"DO \\$\\$ BEGIN PERFORM pg_promote(wait => false);"
                + " FOR i IN 1.." + PROMOTE_WAIT_SECONDS * 1000 / PROMOTE_POLL_MS + " LOOP EXIT WHEN NOT pg_is_in_recovery();"
                + " PERFORM pg_sleep(" + PROMOTE_POLL_MS / 1000.0 + "); END LOOP; END \\$\\$;"
                + " SELECT NOT pg_is_in_recovery()\" </dev/null)\n"
                + "rc=$?\n"
                // The moment it left recovery (the loop polls every 10 ms), for the drill's timeline: the agent's JVM
                // that records the promotion starts a few hundred ms later.
                + "writable_at=$(date +%s%3N)\n"
                // psql -c reports an error raised by the server with 1 (3 is for scripts with ON_ERROR_STOP)
                + "if [ \"$rc\" -eq 1 ]; then\n"
                + "  say \"pg_promote() failed on $node (psql exit $rc, its error above): not promoted\"\n"
                + "  withdraw_claim\n"
                + "  exit " + PROMOTION_FAILED + "\n"
                + "fi\n"
                + "if [ \"$rc\" -ne 0 ] || [ \"$promoted\" != t ]; then\n"
                + "  say \"pg_promote() on $node gave no answer that it is a primary (psql exit $rc, answer '$promoted',"
                + " waited up to " + PROMOTE_WAIT_SECONDS + " s): it may still be promoting, so its claim on the witness"
                + " stands; see PostgreSQL's log\"\n"
                + "  exit " + PROMOTION_FAILED + "\n"
                + "fi\n"
                + "export " + EventRecorder.WRITABLE_AT_ENV + "=$writable_at\n";
    }

    /**
     * The other standbys, asked in shell before the claim (ms per standby, no JVM). Each says whether its walreceiver
     * streams, from where, and how much WAL it holds. While one streams from a node that is not in recovery (or that
     * this node cannot ask), the old primary is alive behind a partial partition and may still acknowledge commits with
     * that standby's flush alone: wait up to {@value #SIBLING_WAIT_MS} ms for it to stop (a standby notices a silent
     * link within about 2 s with wal_receiver_status_interval=1s, and a frozen primary, whose kernel still acknowledges,
     * within wal_receiver_timeout: 5 s in the guide), then refuse. Once none streams, refuse if one
     * cannot be asked (it may hold such commits) or holds WAL this node lacks (repmgr should have elected it; promote it
     * by hand). Without other standbys this asks nothing.
     */
    static String siblingCheck(String psql, long waitMs) {
        String position = "SELECT coalesce(pg_wal_lsn_diff(greatest(pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn()),"
                + " '0/0')::bigint, -1)";
        // One session here per look: this node's WAL position on the first line, then each other standby's name and
        // conninfo (a psql process and its login cost 0.1-0.2 s each on the loaded lab).
        return "unset claim already_primary\n"
                + "until_ms=$(( PGFLIP_CALLED_AT + " + waitMs + " ))\n"
                + "while :; do\n"
                + "  here=$(" + psql + " -X -q -A -t -F ' ' -v node=\"$node\" -d \"$local\" <<'SQL'\n"
                + siblingScript(position)
                + "SQL\n"
                + "  ) || { say \"cannot read the other standbys in repmgr.nodes, or find the witness on this node or claim"
                + " the promotion of $node there: not promoting\"; exit 1; }\n"
                + "  first=${here%%\"$nl\"*}\n"
                + "  case $here in *\"$nl\"*) rest=${here#*\"$nl\"} ;; *) rest=\"\" ;; esac\n"
                + "  if [ \"$first\" = " + PROMOTED + " ]; then\n"
                + "    already_primary=yes\n"
                + "    break\n"
                + "  fi\n"
                + "  if [ \"$first\" = " + ALONE + " ]; then\n"
                + "    claim=$rest\n"
                + "    siblings=\"\"\n"
                + "    break\n"
                + "  fi\n"
                + "  own=$first; siblings=$rest\n"
                + "  feeding=\"\"; silent=\"\"; ahead=\"\"\n"
                + "  [ -z \"$siblings\" ] && break\n"
                + "  while IFS= read -r line; do\n"
                + "    name=${line%% *}; ci=${line#* }\n"
                + "    answer=$(" + psql + " -X -q -A -t -F '|' -d \"$ci\" -c \"SELECT coalesce((SELECT sender_host || ' ' ||"
                + " sender_port FROM pg_stat_wal_receiver WHERE status = 'streaming' LIMIT 1), '-'), (" + position
                + ")\" </dev/null) || { silent=\"$silent $name\"; continue; }\n"
                + "    sender=${answer%%|*}; at=${answer##*|}\n"
                + "    [ \"$at\" -gt \"$own\" ] && ahead=\"$ahead $name ($(( at - own )) bytes more)\"\n"
                + "    if [ \"$sender\" != \"-\" ]; then\n"
                + "      recovering=$(" + psql + " -X -q -A -t -d \"$local host=${sender% *} port=${sender#* }\""
                + " -c \"SELECT pg_is_in_recovery()\" </dev/null) || recovering=unknown\n"
                + "      [ \"$recovering\" = t ] || feeding=\"$feeding $name (from ${sender% *})\"\n"
                + "    fi\n"
                + "  done <<EOF\n"
                + "$siblings\n"
                + "EOF\n"
                + "  [ -z \"$feeding\" ] && break\n"
                + "  [ \"$(date +%s%3N)\" -ge \"$until_ms\" ] && break\n"
                + "  sleep 0.2\n"
                + "done\n"
                + "if [ -n \"$feeding\" ]; then\n"
                + "  say \"another standby still streams from a writable primary after " + waitMs / 1000
                + " s:$feeding; the primary is alive behind a partial partition and may acknowledge commits this node"
                + " lacks: not promoting\"\n"
                + "  exit 1\n"
                + "fi\n"
                + "if [ -n \"$silent\" ]; then\n"
                + "  say \"cannot ask the other standby$silent, which may hold commits the primary acknowledged that this node"
                + " lacks: not promoting; once you know it is down for good, promote the most advanced standby by hand"
                + " (repmgr standby promote), knowing what it may lack\"\n"
                + "  exit 1\n"
                + "fi\n"
                + "if [ -n \"$ahead\" ]; then\n"
                + "  say \"the other standby$ahead has received WAL this node lacks, maybe commits the primary acknowledged:"
                + " not promoting; promote it instead (repmgr standby promote on it)\"\n"
                + "  exit 1\n"
                + "fi\n"
                // repmgrd logs it: what asking the other standbys cost the failover.
                + "[ -n \"$siblings\" ] && say \"no other standby streams from a writable primary or holds WAL this node"
                + " lacks ($(( $(date +%s%3N) - PGFLIP_CALLED_AT )) ms after the call)\"\n";
    }

    /**
     * The shell function {@code withdraw_claim}, called when the promotion was refused (another node answers as a
     * primary) or pg_promote raised an error: when this node is still in recovery, the claim is withdrawn (left
     * standing, it would keep the primary it no longer replaces fenced). One psql session; a node that left recovery
     * anyway keeps its claim (the agent or the watch records its promotion).
     */
    static String withdrawClaimFunction(String psql) {
        return "withdraw_claim() {\n"
                + "  if [ \"$verdict\" = claimed ]; then\n"
                + "    withdrawn=$(" + psql + " -X -q -A -t -v node=\"$node\" -d \"$local\" <<'SQL'\n"
                + "\\set ON_ERROR_STOP 1\n"
                + "SELECT pg_is_in_recovery() AS standby \\gset\n"
                + "\\if :standby\n"
                + "SELECT coalesce(max(conninfo), '') AS witness FROM repmgr.nodes WHERE type = 'witness' AND active \\gset\n"
                + "\\connect -reuse-previous=off :\"witness\"\n"
                + PromotionClaims.WITHDRAW_CLAIM_PSQL + " RETURNING 'withdrawn';\n"
                + "\\endif\n"
                + "SQL\n"
                + "    ) || withdrawn=failed\n"
                + "    case \"$withdrawn\" in\n"
                + "      withdrawn) say \"$node is still a standby: its claim on the witness is withdrawn\" ;;\n"
                + "      failed) say \"the claim of $node on the witness could not be withdrawn: the primary stays fenced until"
                + " $node streams from it again\" ;;\n"
                + "      *) say \"$node left recovery or holds no claim: the claim stands\" ;;\n"
                + "    esac\n"
                + "  fi\n"
                + "}\n";
    }

    /** The first line the sibling check's session prints when there is no other standby and it claimed. */
    static final String ALONE = "alone";
    /** Its only line when this node is already out of recovery: nothing is claimed or asked. */
    static final String PROMOTED = "promoted";

    /** The other active standbys: one clause for the count that decides "alone" and the list asked otherwise. */
    private static final String OTHER_STANDBYS =
            "FROM repmgr.nodes WHERE type = 'standby' AND active AND node_name <> :'node'";

    /**
     * The sibling check's one session: on a node already out of recovery (promoted by hand before repmgrd called the
     * hook) only the line {@value #PROMOTED}; with no other standby it claims at once ({@link #claimScript}, after a
     * line {@value #ALONE}); otherwise it prints this node's WAL position, then each other standby's name and
     * conninfo.
     */
    static String siblingScript(String position) {
        return "\\set ON_ERROR_STOP 1\n"
                + "SELECT NOT pg_is_in_recovery() AS promoted \\gset\n"
                + "\\if :promoted\n"
                + "\\echo " + PROMOTED + "\n"
                + "\\else\n"
                + "SELECT count(*) = 0 AS alone " + OTHER_STANDBYS + " \\gset\n"
                + "\\if :alone\n"
                + "\\echo " + ALONE + "\n"
                + claimScript()
                + "\\else\n"
                + position + ";\n"
                + "SELECT node_name, conninfo " + OTHER_STANDBYS + " ORDER BY node_id;\n"
                + "\\endif\n"
                + "\\endif\n";
    }

    /**
     * One psql session (a second psql process and the schema's DDL cost about a second under a drill's load, measured
     * before this): read the witness's conninfo on this node, connect to the witness, claim. The schema is created only
     * when its newest part is missing (a witness no primary has marked anything on yet, one rebuilt, or one an older
     * agent kept). Prints a line {@code node NAME CONNINFO} for each other active data node (asked by
     * {@link #primaryCheck}), then {@code claimed}, nothing (ineligible) or {@code no-witness}; exits non-zero when this
     * node or the witness cannot be asked. The witness's conninfo travels on stdin, never on argv.
     */
    static String claimScript() {
        return "\\set ON_ERROR_STOP 1\n"
                // the other data nodes, for the primary check after the claim: no login more before the promotion
                + "SELECT '" + NODE_LINE + " ' || node_name || ' ' || conninfo FROM repmgr.nodes WHERE type <> 'witness'"
                + " AND active AND node_name <> :'node' ORDER BY node_id;\n"
                + FIND_WITNESS
                + "\\if :has_witness\n"
                + "\\connect -reuse-previous=off :\"witness\"\n"
                + PromotionClaims.SCHEMA_MISSING + " \\gset\n"
                + "\\if :missing\n"
                + PromotionClaims.SCHEMA + ";\n"
                + "\\endif\n"
                + PromotionClaims.CLAIM_PSQL + ";\n"
                + "\\else\n"
                + "\\echo no-witness\n"
                + "\\endif\n";
    }
}
