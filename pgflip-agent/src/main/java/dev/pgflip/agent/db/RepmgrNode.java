package dev.pgflip.agent.db;

import java.util.Locale;
import java.util.OptionalInt;

/**
 * One row of {@code repmgr.nodes}: how repmgr registered a node (every part of the agent reads it through
 * {@link RepmgrNodes}).
 *
 * @param upstreamId the node it streams from, as repmgr recorded it (empty for a primary or a witness)
 */
public record RepmgrNode(int id, String name, Type type, boolean active, Conninfo conninfo, OptionalInt upstreamId) {
    /** repmgr's node types, as its {@code type} column spells them. */
    public enum Type {
        PRIMARY, STANDBY, WITNESS, BDR;

        public static Type of(String repmgrType) {
            try {
                return valueOf(repmgrType.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException | NullPointerException e) {
                throw new IllegalArgumentException("repmgr.nodes has a node of unknown type '" + repmgrType
                        + "' (repmgr 5 knows primary, standby, witness, bdr)", e);
            }
        }

        /** As repmgr writes it: {@code primary}, {@code standby}, {@code witness}, {@code bdr}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** A primary or a standby: a node that holds the data (repmgr's witness holds only its metadata). */
    public boolean holdsData() {
        return type != Type.WITNESS;
    }

    /** Whether repmgr records this node as streaming from {@code upstream}. */
    public boolean streamsFrom(RepmgrNode upstream) {
        return upstreamId.isPresent() && upstreamId.getAsInt() == upstream.id;
    }
}
