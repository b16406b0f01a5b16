package dev.pgflip.agent.switchover;

import dev.pgflip.agent.repmgr.RepmgrConf;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Another standby's own {@code follow_command}, as its repmgr.conf names it, with repmgr's {@code %n} (the new
 * primary's node id) filled in: what repmgrd would run there after a failover ({@code pgflip follow}). The switchover
 * runs it on that standby through its database connection, because repmgrd is paused there for the switchover and
 * would not act on {@code repmgr.notify_follow_primary} (seen on the lab with two standbys: the second one was left
 * streaming from nobody).
 *
 * @param command the command line, for {@code COPY ... TO PROGRAM} (a shell runs it, as repmgrd's system() does)
 */
record SiblingFollowCommand(String command) {

    /** From the text of the standby's repmgr.conf; empty when it sets no follow_command. */
    static Optional<SiblingFollowCommand> from(String repmgrConfText, Path repmgrConf, int newPrimaryId) {
        RepmgrConf conf = RepmgrConf.parse(repmgrConfText, repmgrConf);
        return conf.value("follow_command").filter(c -> !c.isBlank())
                .map(c -> new SiblingFollowCommand(c.replace("%n", Integer.toString(newPrimaryId))));
    }

    /** The statement that runs it on the node it is sent to, as its postgres OS user. */
    String copyToProgram() {
        return CopyToProgram.statement(command);
    }
}
