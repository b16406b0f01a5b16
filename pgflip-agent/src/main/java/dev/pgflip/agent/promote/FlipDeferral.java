package dev.pgflip.agent.promote;

import dev.pgflip.agent.PgflipException;
import dev.pgflip.agent.provider.FlipException;
import java.util.Locale;

/**
 * The node answers as primary but the floating IP could not be moved: why, and what it takes to finish the move.
 *
 * <p>The hook exits 0 all the same. repmgrd reads promote_command's exit status as "the promotion worked or not",
 * and the node is primary whatever we exit: a non-zero status cannot undo that, it only makes repmgrd record
 * PROMOTION_FAILED for a node that is in fact primary and keep monitoring it as a standby, which a slow API then
 * turns into a second outage. Moving the IP later is what {@code pgflip watch} does (it reconciles it every few
 * seconds while the node is primary). A configuration error (a rejected token or certificate, an unknown IP or
 * droplet) exits 0 too, for the same reason: it is logged at ERROR instead, and recorded in the events file, where
 * the operator who must fix it looks.
 *
 * @param reason the failure's own message: what failed and, for a configuration error, which key to fix
 */
public record FlipDeferral(Kind kind, String reason) implements FlipOutcome {

    /** What finishing the move takes. */
    public enum Kind {
        /** The API was slow, down, rate-limiting or failing: it is worth trying again, and the watch will. */
        API_TROUBLE,
        /** Only a configuration change helps (token, certificate, IP, droplet id, metadata service). */
        NEEDS_CONFIGURATION_FIX,
        /** A failure pgflip does not know (a bug): logged with its stack trace. */
        UNEXPECTED;

        /** For the events file: {@code api_trouble}, {@code needs_configuration_fix}, {@code unexpected}. */
        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** What {@code failure}, raised while moving the IP to a node that is already primary, asks for. */
    public static FlipDeferral of(RuntimeException failure) {
        if (failure instanceof FlipException flip) {
            return new FlipDeferral(flip.needsConfigurationFix() ? Kind.NEEDS_CONFIGURATION_FIX : Kind.API_TROUBLE,
                    flip.getMessage());
        }
        if (failure instanceof PgflipException) {
            // Every other PgflipException the flip path raises names a setting to fix: a rejected token (401) or
            // certificate, a token without the scope to move the IP (403), a missing or unsafe token file, no droplet
            // id and no metadata service to ask.
            return new FlipDeferral(Kind.NEEDS_CONFIGURATION_FIX, failure.getMessage());
        }
        return new FlipDeferral(Kind.UNEXPECTED, failure.getClass().getName() + ": " + failure.getMessage());
    }

    /** Whether this is worth an ERROR rather than a WARN: someone has to act before the IP can move. */
    public boolean needsOperator() {
        return kind != Kind.API_TROUBLE;
    }

    /**
     * The one log line: the node, that it is primary, that the IP has not moved and why, who finishes the move and
     * the command to do it by hand.
     */
    public String describe(String node, FlipByHand byHand) {
        String exit = "; the hook exits 0 because the promotion itself succeeded";
        return switch (kind) {
            case API_TROUBLE -> "node " + node + " is primary; floating IP " + byHand.ip() + " not moved yet: " + reason
                    + "; pgflip watch on " + node + " moves it once the API answers (by hand: " + byHand.moveHere() + ")"
                    + exit;
            case NEEDS_CONFIGURATION_FIX -> "node " + node + " is primary but floating IP " + byHand.ip()
                    + " cannot be moved until the configuration is fixed: " + reason + "; pgflip watch cannot move it"
                    + " either until then; after the fix it does, or by hand: " + byHand.moveHere() + exit;
            case UNEXPECTED -> "node " + node + " is primary; floating IP " + byHand.ip() + " not moved yet after an"
                    + " unexpected error: " + reason + "; pgflip watch on " + node + " keeps trying (by hand: "
                    + byHand.moveHere() + ")" + exit;
        };
    }
}
