package dev.pgflip.agent.digitalocean;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * An error answer of the API: HTTP status plus the body's {@code id} and {@code message}, and the
 * {@code retry-after} header when present.
 */
public record ApiError(int status, String id, String message, Optional<Duration> retryAfter) {

    public boolean isPendingEvent() {
        String m = message.toLowerCase(Locale.ROOT);
        return status == 422 && (m.contains("pending event") || m.contains("locked"));
    }

    /** 429, 5xx and 422 "pending event"/locked are worth another try; 401, 403, 404 and other 4xx are not. */
    public boolean isRetryable() {
        return status == 429 || status >= 500 || isPendingEvent();
    }

    @Override
    public String toString() {
        return status + " " + id + ": " + message;
    }
}
