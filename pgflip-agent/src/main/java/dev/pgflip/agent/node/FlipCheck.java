package dev.pgflip.agent.node;

/** How one reconcile of a primary ended, as far as the floating IP is concerned. */
public enum FlipCheck {
    /** The API says the IP is on this node (found there, or just assigned). */
    HELD(true),
    /** The API says the IP is elsewhere (another droplet or none) and it was not (yet) moved here. */
    ELSEWHERE(false),
    /** Not taken: this node cannot prove it is the only primary. */
    WITHHELD(false),
    /** Refused: another primary outranks this node. */
    REFUSED(false),
    /** Not taken: this node is fenced. */
    FENCED(false),
    /** The API or the guard failed before the IP's place was known. */
    FAILED(false);

    private final boolean onThisNode;

    FlipCheck(boolean onThisNode) {
        this.onThisNode = onThisNode;
    }

    /** Whether the reconcile left the IP on this primary. */
    public boolean onThisNode() {
        return onThisNode;
    }
}
