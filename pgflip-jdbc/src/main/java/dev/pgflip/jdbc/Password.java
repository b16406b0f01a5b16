package dev.pgflip.jdbc;

/**
 * The password a {@link ClusterDataSource} logs in with, as {@link ClusterConfig#password()} gives it back: it never
 * shows itself in logs, exceptions or {@code toString()} ({@code ******}); only {@link #reveal()} gives it out. Made
 * by {@link ClusterConfig.Builder#password(String)}.
 */
public final class Password {
    private final String value;

    private Password(String value) {
        this.value = value;
    }

    /** The password, or null for none. */
    static Password of(String value) {
        return value == null ? null : new Password(value);
    }

    /** The password itself, for the driver; never log it. */
    public String reveal() {
        return value;
    }

    /** Always {@code ******}, whatever the password. */
    @Override
    public String toString() {
        return "******";
    }
}
