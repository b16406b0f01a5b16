package dev.pgflip.agent.watch;

/**
 * Another node that answers as a writable primary, with the timeline it writes on; or, when this node could not even
 * ask its own database, an unconfirmed stand-in that forbids taking the IP but proves nothing about another primary.
 */
public record PeerPrimary(String name, String host, int port, long timeline) {
    private static final long UNCONFIRMED = Long.MAX_VALUE;

    /** The local check failed: not the moment to take the IP, nor evidence to fence this node for good. */
    public static PeerPrimary unconfirmed(String why, String host, int port) {
        return new PeerPrimary("(unknown: " + why + ")", host, port, UNCONFIRMED);
    }

    /** Whether a real other primary was seen (not a failed local check). */
    public boolean confirmed() {
        return timeline != UNCONFIRMED;
    }
}
