package dev.pgflip.agent.switchover;

import dev.pgflip.agent.repmgr.RepmgrConf;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The target's own {@code promote_command}, as its repmgr.conf names it: the switchover runs exactly what repmgrd
 * would run there on a failover (pgflip-promote: the witness claim, pg_promote and repmgr's record of it, the floating IP).
 *
 * @param command the command line, for {@code COPY ... TO PROGRAM} (a shell runs it, as repmgrd's system() does)
 * @param fenceRecord pgflip-promote's fence record, whose presence makes the hook refuse; empty for another hook
 */
record TargetPromoteCommand(String command, Optional<Path> fenceRecord) {

    /** From the text of the target's repmgr.conf; empty when it sets no promote_command. */
    static Optional<TargetPromoteCommand> from(String repmgrConfText, Path repmgrConf) {
        RepmgrConf conf = RepmgrConf.parse(repmgrConfText, repmgrConf);
        return conf.value("promote_command").filter(c -> !c.isBlank()).map(TargetPromoteCommand::of);
    }

    static TargetPromoteCommand of(String command) {
        List<String> words = Arrays.stream(command.strip().split("\\s+")).toList();
        if (words.isEmpty() || !words.get(0).endsWith("pgflip-promote") || words.size() < 2) {
            return new TargetPromoteCommand(command, Optional.empty());
        }
        // pgflip-promote REPMGR_CONF AGENT_CONF [FENCE_STATE]: the record is fence.state beside repmgr.conf unless given.
        Path fence = words.size() >= 4 ? Path.of(unquote(words.get(3)))
                : Optional.ofNullable(Path.of(unquote(words.get(1))).getParent()).orElse(Path.of("."))
                        .resolve("fence.state");
        return new TargetPromoteCommand(command, Optional.of(fence));
    }

    private static String unquote(String word) {
        return word.replaceAll("^[\"']|[\"']$", "");
    }

    /** The statement that runs the hook on the node it is sent to, as its postgres OS user. */
    String copyToProgram() {
        return CopyToProgram.statement(command);
    }
}
