package dev.pgflip.agent.digitalocean;

import java.util.Objects;

/**
 * A DigitalOcean API token. {@link #toString()} is masked so the token cannot leak into logs, exceptions or
 * JSON by accident; only {@link #bearerHeaderValue()} reveals it, for the Authorization header.
 */
public final class ApiToken {
    private final String value;
    private final String source;

    public ApiToken(String value) {
        this(value, "the agent's configuration");
    }

    /**
     * @param source where the token came from, for messages that tell the operator which one to replace, e.g.
     *               {@code digitalocean.token_file /etc/pgflip/do-token}; never the token itself
     */
    public ApiToken(String value, String source) {
        Objects.requireNonNull(value, "value");
        if (value.isBlank()) {
            throw new IllegalArgumentException("an API token must not be blank");
        }
        this.value = value.trim();
        this.source = Objects.requireNonNull(source, "source");
    }

    /** Where the token came from, e.g. {@code DIGITALOCEAN_ACCESS_TOKEN}. */
    public String source() {
        return source;
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
