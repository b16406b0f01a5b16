package dev.pgflip.agent.follow;

/**
 * What the node repmgr asked this standby to follow answered to a new session, nothing judged yet
 * ({@link FollowRules} judges).
 *
 * @param detail why it did not answer (the driver's first line); empty when it answered
 */
public record UpstreamAnswer(Kind kind, String detail) {
    /** The answers that matter to a follow. */
    public enum Kind {
        /** No answer: down, still starting, refusing this node, or too slow. */
        UNREACHABLE,
        /** {@code pg_is_in_recovery()}: a standby not promoted yet, or a primary pgflip's fence restarted in recovery. */
        IN_RECOVERY,
        /**
         * Not in recovery, but {@code transaction_read_only} is on for a new session: pgflip's fence
         * ({@code default_transaction_read_only}) on a primary that may be the losing side of a split.
         */
        READ_ONLY,
        /** Not in recovery and a new session may write: a primary to follow. */
        WRITABLE_PRIMARY
    }

    public static UpstreamAnswer unreachable(String why) {
        return new UpstreamAnswer(Kind.UNREACHABLE, why);
    }

    public static UpstreamAnswer answered(boolean inRecovery, boolean readOnly) {
        return new UpstreamAnswer(inRecovery ? Kind.IN_RECOVERY : readOnly ? Kind.READ_ONLY : Kind.WRITABLE_PRIMARY, "");
    }

    /** For messages: {@code unreachable (Connection refused)}, {@code in recovery}, {@code read-only (fenced)}. */
    public String describe() {
        return switch (kind) {
            case UNREACHABLE -> "unreachable" + (detail.isEmpty() ? "" : " (" + detail + ")");
            case IN_RECOVERY -> "in recovery (a standby, or a primary fenced in recovery)";
            case READ_ONLY -> "read-only (fenced: transaction_read_only is on for a new session)";
            case WRITABLE_PRIMARY -> "a writable primary";
        };
    }
}
