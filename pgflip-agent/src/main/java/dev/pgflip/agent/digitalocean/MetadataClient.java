package dev.pgflip.agent.digitalocean;

import dev.pgflip.agent.ExitCode;
import dev.pgflip.agent.PgflipException;
import dev.pgflip.agent.time.Deadline;
import dev.pgflip.agent.time.DeadlineExceededException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The droplet metadata service ({@code digitalocean.metadata_url}): this droplet's id, and whether a floating IP
 * is active on it. No token is sent: the service answers only from inside the droplet. It is plain HTTP on a real
 * droplet (169.254.169.254 is link-local, never routed), so no certificate is involved.
 */
public final class MetadataClient {
    private final HttpClient http;
    private final URI baseUrl;
    private final Duration requestTimeout;
    private final RetryPolicy retry;

    public MetadataClient(URI baseUrl, Duration requestTimeout, RetryPolicy retry) {
        this.http = ApiTransport.newHttpClient(requestTimeout, ApiTrust.jdkDefault());
        this.baseUrl = baseUrl;
        this.requestTimeout = requestTimeout;
        this.retry = retry;
    }

    public long dropletId(Deadline deadline) {
        String text = read("/id", deadline);
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new PgflipException(ExitCode.USAGE, "metadata service " + baseUrl + "/id answered \"" + text
                    + "\", not a droplet id; set node.droplet_id in the config", e);
        }
    }

    /** {@code /floating_ip/ipv4/active} (or {@code /reserved_ip/...}). */
    public boolean floatingIpActive(IpResource resource, Deadline deadline) {
        return Boolean.parseBoolean(read("/" + resource.single() + "/ipv4/active", deadline));
    }

    /**
     * The floating (reserved) IP active on this droplet ({@code /floating_ip/ipv4/ip_address}), empty when none is;
     * the address is asked only when one is active (the service answers 404 otherwise).
     */
    public java.util.Optional<String> activeFloatingIp(IpResource resource, Deadline deadline) {
        if (!floatingIpActive(resource, deadline)) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(read("/" + resource.single() + "/ipv4/ip_address", deadline));
    }

    /**
     * Without the metadata service the agent does not know which droplet it is, so nothing can be done: that is a
     * configuration problem (wrong URL, or not on a droplet), exit 2, not a failed flip.
     */
    private String read(String path, Deadline deadline) {
        URI uri = URI.create(baseUrl + path);
        try {
            return readWithRetries(uri, deadline);
        } catch (DeadlineExceededException e) {
            throw new PgflipException(ExitCode.USAGE, "cannot reach the metadata service: " + e.getMessage()
                    + "; check digitalocean.metadata_url or set node.droplet_id", e);
        }
    }

    private String readWithRetries(URI uri, Deadline deadline) {
        return retry.run("read metadata " + uri, deadline, () -> {
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(deadline.cap(requestTimeout)).GET().build();
            HttpResponse<String> response;
            try {
                response = http.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
            if (response.statusCode() >= 500) {
                throw new IOException("metadata service answered " + response.statusCode());
            }
            if (response.statusCode() != 200) {
                throw new PgflipException(ExitCode.USAGE, "metadata service " + uri + " answered HTTP "
                        + response.statusCode() + "; check digitalocean.metadata_url or set node.droplet_id");
            }
            return response.body().trim();
        });
    }
}
