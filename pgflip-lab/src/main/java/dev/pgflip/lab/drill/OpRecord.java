package dev.pgflip.lab.drill;

/**
 * One client call: when it started and ended (epoch ms), whether it succeeded, and which node served it.
 *
 * @param seq the write's sequence number (its acknowledgement is what "no lost write" is checked against); -1 for reads
 */
public record OpRecord(String client, Kind kind, long seq, long startMs, long endMs, boolean ok, String node, String error) {
    public enum Kind { WRITE, READ }
}
