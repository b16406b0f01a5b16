package dev.pgflip.jdbc.internal;

/** A password that never shows itself in logs, exceptions or toString(): only {@link #reveal()} gives it out. */
public final class Secret {
    private final String value;

    private Secret(String value) {
        this.value = value;
    }

    public static Secret of(String value) {
        return value == null ? null : new Secret(value);
    }

    public String reveal() {
        return value;
    }

    @Override
    public String toString() {
        return "******";
    }
}
