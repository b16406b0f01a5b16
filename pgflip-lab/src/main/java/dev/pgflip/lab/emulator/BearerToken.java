package dev.pgflip.lab.emulator;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * An API token the emulator accepts. Its {@code toString()} masks the value so it cannot leak into logs,
 * exception messages or a record's generated {@code toString()}.
 */
public final class BearerToken {
    private final byte[] value;

    private BearerToken(String value) {
        this.value = value.getBytes(StandardCharsets.UTF_8);
    }

    public static BearerToken of(String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("token must not be blank");
        }
        if (value.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("token must not contain whitespace");
        }
        return new BearerToken(value);
    }

    /** Whether an {@code Authorization} header value carries this token. Constant-time on the token bytes. */
    boolean acceptsAuthorizationHeader(String header) {
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        byte[] offered = header.substring(7).trim().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(offered, value);
    }

    /** Whether both hold the same token (a read-only token must not also be the read-write one). */
    boolean sameAs(BearerToken other) {
        return MessageDigest.isEqual(value, other.value);
    }

    @Override
    public String toString() {
        return "BearerToken[****]";
    }
}
