package dev.pgflip.agent.digitalocean;

import java.util.Objects;

/**
 * A DigitalOcean API token. {@link #toString()} is masked so the token cannot leak into logs, exceptions or
 * JSON by accident; only {@link #bearerHeaderValue()} reveals it, for the Authorization header.
 */
public final class ApiToken {
    private final String value;

    public ApiToken(String value) {
        Objects.requireNonNull(value, "value");
        if (value.isBlank()) {
            throw new IllegalArgumentException("an API token must not be blank");
        }
        this.value = value.trim();
    }

    /** {@code Bearer <token>}: the only way the secret leaves this object. */
    String bearerHeaderValue() {
        return "Bearer " + value;
    }

    @Override
    public String toString() {
        return "ApiToken[****]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ApiToken && ((ApiToken) o).value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }
}
