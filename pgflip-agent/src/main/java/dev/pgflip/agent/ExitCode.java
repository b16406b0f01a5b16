package dev.pgflip.agent;

/** Process exit codes of every pgflip command; repmgr and scripts branch on them. */
public enum ExitCode {
    OK(0),
    /** The promote command ran but the node never answered as primary. */
    PROMOTE_FAILED(1),
    /** Bad configuration, bad usage, a missing/unsafe token, or an API certificate that is not trusted. */
    USAGE(2),
    /** The floating IP could not be moved (or verified) within the deadline. */
    FLIP_FAILED(3),
    /** DigitalOcean answered 401 (the token is wrong or revoked) or 403 (it lacks the scope, e.g. write). */
    TOKEN_REJECTED(4),
    /** {@code pgflip status}: the cluster answered, and something in it needs attention (listed with the fix). */
    ATTENTION(5);

    private final int code;

    ExitCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
