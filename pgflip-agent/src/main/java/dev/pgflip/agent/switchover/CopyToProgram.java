package dev.pgflip.agent.switchover;

/**
 * How the switchover runs a node's own hook on that node without SSH: {@code COPY (SELECT 1) TO PROGRAM '…'} over its
 * database connection, as its postgres OS user (a shell runs the command, as repmgrd's system() does).
 */
final class CopyToProgram {
    private CopyToProgram() {
    }

    /** The statement that runs {@code command} on the node it is sent to. */
    static String statement(String command) {
        return "COPY (SELECT 1) TO PROGRAM '" + command.replace("'", "''") + "'";
    }
}
