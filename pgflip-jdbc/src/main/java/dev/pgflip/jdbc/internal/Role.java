package dev.pgflip.jdbc.internal;

import java.util.Locale;

/** What pgflip uses a host for. */
public enum Role {
    WRITER, READER;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
