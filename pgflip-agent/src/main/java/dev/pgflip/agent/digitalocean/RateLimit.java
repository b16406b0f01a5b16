package dev.pgflip.agent.digitalocean;

import java.net.http.HttpHeaders;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

/** The {@code ratelimit-*} headers DigitalOcean sends on every response. */
public record RateLimit(long limit, long remaining, Instant reset) {

    public static Optional<RateLimit> from(HttpHeaders headers) {
        OptionalLong limit = number(headers, "ratelimit-limit");
        OptionalLong remaining = number(headers, "ratelimit-remaining");
        OptionalLong reset = number(headers, "ratelimit-reset");
        if (limit.isEmpty() || remaining.isEmpty() || reset.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new RateLimit(limit.getAsLong(), remaining.getAsLong(), Instant.ofEpochSecond(reset.getAsLong())));
    }

    private static OptionalLong number(HttpHeaders headers, String name) {
        Optional<String> v = headers.firstValue(name);
        try {
            return v.isPresent() ? OptionalLong.of(Long.parseLong(v.get().trim())) : OptionalLong.empty();
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }
}
