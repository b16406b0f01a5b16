package dev.pgflip.agent.digitalocean;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * {@code digitalocean}: where the API and the metadata service are, which CA the API's certificate must come from,
 * and how to poll them. The token itself is not here: it is read by
 * {@link dev.pgflip.agent.digitalocean.TokenSource} only when needed.
 *
 * @param apiUrl {@code api_url}, always https
 * @param trust  {@code ca_file}: only that CA, else the JDK's default trust store
 */
public record DigitalOceanConfig(
        URI apiUrl,
        ApiTrust trust,
        Optional<Path> tokenFile,
        URI metadataUrl,
        IpResource resource,
        Duration pollInterval,
        Duration requestTimeout) {
    public static final URI DEFAULT_API_URL = URI.create("https://api.digitalocean.com");
    /** Production default only; the lab always overrides it. */
    public static final URI DEFAULT_METADATA_URL = URI.create("http://169.254.169.254/metadata/v1");
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(250);
    /**
     * One HTTP call's bound (each is also capped by its operation's deadline). Long enough for a slow API: with 5 s,
     * the api-slow drill (every call answered 8 s late) never got one answer and the IP never moved.
     */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(15);
}
