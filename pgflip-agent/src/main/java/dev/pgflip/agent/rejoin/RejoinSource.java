package dev.pgflip.agent.rejoin;

/**
 * The node {@code pgflip rejoin} would rewind this one onto: whatever the floating IP leads to, as it answered.
 *
 * @param via the floating IP it was reached through
 * @param name its repmgr node name ({@code repmgr.nodes}), "unregistered" when it has none
 * @param conninfo its repmgr conninfo, what {@code repmgr node rejoin -d} is given; empty when unregistered
 * @param inRecovery it answered {@code pg_is_in_recovery()} true: a standby
 * @param timeline a primary's current timeline (from its current WAL file name, right from the promotion on);
 *     0 for a standby, whose timeline is not read
 * @param registeredAsPrimary its own record in its {@code repmgr.nodes} is the active primary's
 */
public record RejoinSource(String via, String name, String conninfo, boolean inRecovery, long timeline,
        boolean registeredAsPrimary) {

    /** A source whose records agree with what it answers (a primary registered as such, or a standby). */
    public RejoinSource(String via, String name, String conninfo, boolean inRecovery, long timeline) {
        this(via, name, conninfo, inRecovery, timeline, !inRecovery);
    }

    /** "198.18.0.100 (n1)", for messages. */
    public String describe() {
        return via + " (" + name + ")";
    }

    /** The conninfo for logs, a password in it masked. */
    public String maskedConninfo() {
        return conninfo.replaceAll("password=\\S+", "password=****");
    }
}
