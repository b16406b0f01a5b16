package dev.pgflip.agent.digitalocean;

import java.time.Duration;
import java.util.OptionalInt;

/**
 * Told of every HTTP exchange with the API, retries each on their own (the watch's metrics). Called on the caller's
 * thread once the answer, or the failure to get one, is known; must return at once and never throw.
 */
@FunctionalInterface
public interface ApiCallListener {
    ApiCallListener NONE = (operation, status, took) -> {};

    /**
     * @param status the HTTP status; empty when no answer came (timeout, connection refused or reset, certificate
     *     rejected, interrupted)
     */
    void completed(ApiOperation operation, OptionalInt status, Duration took);
}
