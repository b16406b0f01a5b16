package dev.pgflip.agent.node;

/**
 * Another node that answers as a writable primary, with the timeline it writes on; one whose promotion the witness
 * holds claimed (timeline unknown) or recorded; or, when this node could not even ask its own database, an
 * unconfirmed stand-in that forbids taking the IP but proves nothing about another primary.
 */
public record PeerPrimary(String name, String host, int port, long timeline) {
    private static final long UNCONFIRMED = Long.MAX_VALUE;
    /** Its promotion is claimed but not yet recorded: the timeline it will write on is not known. */
    public static final long TIMELINE_UNKNOWN = -1;

    /** The local check failed: not the moment to take the IP, nor evidence to fence this node for good. */
    public static PeerPrimary unconfirmed(String why, String host, int port) {
        return new PeerPrimary("(unknown: " + why + ")", host, port, UNCONFIRMED);
    }

    /** Its promote hook claimed its promotion on the witness: it is becoming the primary now. */
    public static PeerPrimary beingPromoted(String name, String witness) {
        return new PeerPrimary(name + " (promotion claimed on the witness " + witness + ")", "", 0, TIMELINE_UNKNOWN);
    }

    /** The witness recorded its promotion onto {@code timeline}; it may be down now. */
    public static PeerPrimary promotedPerWitness(String name, String witness, long timeline) {
        return new PeerPrimary(name + " (promotion recorded on the witness " + witness + ")", "", 0, timeline);
    }

    /** Whether a real other primary was seen (not a failed local check). */
    public boolean confirmed() {
        return timeline != UNCONFIRMED;
    }

    /** For messages: "timeline 3", or how it is known when the timeline is not. */
    public String describeTimeline() {
        return timeline == TIMELINE_UNKNOWN ? "a newer timeline"
                : "timeline " + timeline;
    }
}
