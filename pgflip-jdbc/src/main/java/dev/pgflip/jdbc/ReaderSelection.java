package dev.pgflip.jdbc;

/** How a read picks among the healthy standbys. */
public enum ReaderSelection {
    /** Each read goes to the next healthy standby in turn. */
    ROUND_ROBIN,
    /** Each read goes to the healthy standby with the fewest connections lent out by pgflip at that moment. */
    LEAST_BUSY
}
