package dev.pgflip.agent.repmgr;

import dev.pgflip.agent.watch.PromotionClaims;
import java.nio.file.Path;

/**
 * repmgr's {@code promote_command} as a shell script: promote first, in shell, so no JVM start delays the promotion
 * (the agent's JVM took 0.5 s idle and 1.2 s under a drill's load to start, measured), then let the agent confirm the
 * node and the floating IP. Before promoting it refuses, in milliseconds, when this node must not be promoted:
 * <ul>
 *   <li>its fence record exists (a fenced old primary, restarted in recovery, that repmgrd took for a standby);
 *   <li>its promotion cannot be claimed on the witness ({@link PromotionClaims}): the primary marked it ineligible
 *       before acknowledging commits alone, or the witness cannot be reached to ask.
 * </ul>
 * Usage: {@code pgflip-promote REPMGR_CONF AGENT_CONF [FENCE_STATE]}: the fence record is the agent's
 * {@code fencing.state_file}, {@code fence.state} beside repmgr.conf unless given (the lab's layout; the guide passes
 * {@code /var/lib/pgflip/fence.state}).
 */
public final class PromoteWrapper {
    private PromoteWrapper() {}

    /**
     * @param pgBin directory of psql and repmgr
     * @param agent the agent's launcher ({@code /usr/bin/pgflip} on a droplet)
     */
    public static String render(Path pgBin, Path agent, String header) {
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
                + "node=$(sed -n \"s/^node_name *= *'\\{0,1\\}\\([^']*\\)'\\{0,1\\} *$/\\1/p\" \"$conf\")\n"
                + "local=$(sed -n \"s/^conninfo *= *'\\(.*\\)' *$/\\1/p\" \"$conf\")\n"
                + "claim=$(" + psql + " -X -q -A -t -v node=\"$node\" -d \"$local\" <<'SQL'\n"
                + claimScript()
                + "SQL\n"
                + "  ) || { say \"cannot find the witness on this node or claim the promotion of $node there: not promoting\"; exit 1; }\n"
                + "case \"$claim\" in\n"
                // repmgrd logs this line: where a slow promotion's time went (the claim, or repmgr's promotion after it).
                + "  claimed) say \"claimed the promotion of $node on the witness $(( $(date +%s%3N) - PGFLIP_CALLED_AT )) ms"
                + " after the call; promoting\" ;;\n"
                + "  no-witness) say \"no witness registered: promoting $node without a claim\" ;;\n"
                + "  *) say \"$node is ineligible for promotion (the primary acknowledged commits it may lack): not promoting\"\n"
                + "     exit 1 ;;\n"
                + "esac\n"
                + pgBin.resolve("repmgr") + " standby promote -f \"$conf\" --log-to-file || exit $?\n"
                // The warm 'pgflip watch' moves the IP first; this confirmation must not compete with it for the CPU.
                + "exec nice -n 5 " + agent + " promote --already-promoted --config \"$2\"\n";
    }

    /**
     * One psql session (a second psql process and the schema's DDL cost about a second under a drill's load, measured
     * before this): read the witness's conninfo on this node, connect to the witness, claim. The schema is created only
     * when the table is missing (a witness no primary has marked anything on yet, or one rebuilt). Prints
     * {@code claimed}, nothing (ineligible) or {@code no-witness}; exits non-zero when this node or the witness cannot
     * be asked. The witness's conninfo travels on stdin, never on argv.
     */
    static String claimScript() {
        return "\\set ON_ERROR_STOP 1\n"
                + "SELECT coalesce(max(conninfo), '') AS witness, count(*) > 0 AS has_witness FROM repmgr.nodes"
                + " WHERE type = 'witness' AND active \\gset\n"
                + "\\if :has_witness\n"
                + "\\connect -reuse-previous=off :\"witness\"\n"
                + "SELECT to_regclass('pgflip.promotion') IS NULL AS missing \\gset\n"
                + "\\if :missing\n"
                + PromotionClaims.SCHEMA + ";\n"
                + "\\endif\n"
                + PromotionClaims.CLAIM_PSQL + ";\n"
                + "\\else\n"
                + "\\echo no-witness\n"
                + "\\endif\n";
    }
}
