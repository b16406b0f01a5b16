package dev.pgflip.agent.digitalocean;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pgflip.agent.time.Deadline;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The Floating/Reserved IP part of the DigitalOcean API v2. Every call is bounded by a {@link Deadline} and
 * retried by the {@link RetryPolicy} where retrying can help.
 *
 * <pre>{@code
 * DigitalOceanClient api = DigitalOceanClient.create(config.requireDigitalOcean(), token);
 * Action a = api.assign("198.18.0.100", 1002, Deadline.after(Duration.ofSeconds(20)));
 * }</pre>
 */
public final class DigitalOceanClient {
    private static final int MAX_PAGES = 1000;
    /** The action type of {@link #probeWriteScope}: no such type exists, so the API can never carry it out. */
    public static final String WRITE_PROBE_TYPE = "pgflip_write_scope_probe";

    private final ApiTransport transport;
    private final IpResource resource;
    private final RetryPolicy retry;

    DigitalOceanClient(ApiTransport transport, IpResource resource, RetryPolicy retry) {
        this.transport = transport;
        this.resource = resource;
        this.retry = retry;
    }

    public static DigitalOceanClient create(DigitalOceanConfig config, ApiToken token) {
        return create(config, token, ApiCallListener.NONE);
    }

    /** @param listener told of every HTTP exchange (operation, status, time taken): the watch's metrics */
    public static DigitalOceanClient create(DigitalOceanConfig config, ApiToken token, ApiCallListener listener) {
        return create(config.apiUrl(), config.trust(), config.resource(), config.requestTimeout(), token,
                RetryPolicy.defaults(), listener);
    }

    /**
     * @param apiUrl an {@code https} URL (anything else is refused: the token must not travel in clear)
     * @param trust  the CA certificates accepted from the API host
     */
    public static DigitalOceanClient create(URI apiUrl, ApiTrust trust, IpResource resource, Duration requestTimeout,
                                            ApiToken token, RetryPolicy retry) {
        return create(apiUrl, trust, resource, requestTimeout, token, retry, ApiCallListener.NONE);
    }

    public static DigitalOceanClient create(URI apiUrl, ApiTrust trust, IpResource resource, Duration requestTimeout,
                                            ApiToken token, RetryPolicy retry, ApiCallListener listener) {
        return new DigitalOceanClient(new ApiTransport(apiUrl, trust, token, requestTimeout, listener), resource,
                retry);
    }

    public IpResource resource() {
        return resource;
    }

    public Optional<RateLimit> lastRateLimit() {
        return transport.lastRateLimit();
    }

    public FloatingIp getFloatingIp(String ip, Deadline deadline) {
        JsonNode body = retry.run("get " + resource.displayName() + " " + ip, deadline,
                () -> transport.get(ApiOperation.GET_IP, resource.path(ip), deadline));
        return ApiJson.floatingIp(body.path(resource.single()));
    }

    /** All IPs of the account, following {@code links.pages.next}. */
    public List<FloatingIp> listFloatingIps(Deadline deadline) {
        return listAll(ApiOperation.LIST_IPS, resource.collection(), ApiJson::floatingIp, deadline);
    }

    /** All droplets of the account, following {@code links.pages.next}. */
    public List<Droplet> listDroplets(Deadline deadline) {
        return listAll(ApiOperation.LIST_DROPLETS, "droplets", ApiJson::droplet, deadline);
    }

    /** {@code GET /v2/account}: the cheapest call that proves the token is accepted. */
    public Account account(Deadline deadline) {
        JsonNode body = retry.run("get account", deadline,
                () -> transport.get(ApiOperation.ACCOUNT, "/v2/account", deadline));
        return ApiJson.account(body.path("account"));
    }

    private <T> List<T> listAll(ApiOperation operation, String collection, Function<JsonNode, T> item,
            Deadline deadline) {
        List<T> all = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        String next = "/v2/" + collection + "?per_page=200";
        while (next != null && seen.add(next) && seen.size() <= MAX_PAGES) {
            String page = next;
            JsonNode body = retry.run("list " + collection, deadline, () -> transport.get(operation, page, deadline));
            body.path(collection).forEach(n -> all.add(item.apply(n)));
            JsonNode link = body.path("links").path("pages").path("next");
            next = link.isTextual() && !link.asText().isEmpty() ? link.asText() : null;
        }
        return all;
    }

    /** Starts an assign; returns the action at once (it is usually still in-progress). */
    public Action assign(String ip, long dropletId, Deadline deadline) {
        ObjectNode body = JsonNodeFactory.instance.objectNode().put("type", "assign").put("droplet_id", dropletId);
        return postAction(ApiOperation.ASSIGN, "assign " + ip + " to droplet " + dropletId, ip, body, deadline);
    }

    public Action unassign(String ip, Deadline deadline) {
        ObjectNode body = JsonNodeFactory.instance.objectNode().put("type", "unassign");
        return postAction(ApiOperation.UNASSIGN, "unassign " + ip, ip, body, deadline);
    }

    /**
     * Proves the token may write without changing anything: POSTs to the IP's actions an action type that does not
     * exist. DigitalOcean documents one required scope per endpoint ({@code reserved_ip:update} for this one), checked
     * before the body means anything, so a token without write scope gets 403 ({@link TokenScopeException}) and one
     * with it gets the refusal of the body itself (422 expected; not tried against the real API here).
     *
     * <p>Why not "assign the IP to the droplet that holds it", which DO-API-NOTES says is a 422 too: between reading
     * the holder and posting, a failover may move the IP, and the probe would then move it back to the old primary;
     * and were the real API ever to accept a same-droplet assign, the action would lock the IP for seconds, during
     * which a failover's assign gets 422 "pending event". An action type that does not exist can be carried out in no
     * state. Only 429 and 5xx are retried: any other answer is what the probe wanted to know.
     *
     * @return the API's refusal of the probe; empty if it accepted it (it never should)
     * @throws TokenScopeException   the token lacks write scope (403)
     * @throws TokenRejectedException the token is not accepted at all (401)
     */
    public Optional<ApiError> probeWriteScope(String ip, Deadline deadline) {
        ObjectNode body = JsonNodeFactory.instance.objectNode().put("type", WRITE_PROBE_TYPE);
        return retry.run("probe write scope on " + resource.displayName() + " " + ip, deadline, () -> {
            try {
                transport.post(ApiOperation.PROBE_WRITE_SCOPE, resource.path(ip) + "/actions", body, deadline);
                return Optional.empty();
            } catch (ApiException e) {
                if (e.error().status() == 429 || e.error().status() >= 500) {
                    throw e;
                }
                return Optional.of(e.error());
            }
        });
    }

    private Action postAction(ApiOperation operation, String description, String ip, ObjectNode body,
            Deadline deadline) {
        JsonNode answer = retry.run(description, deadline,
                () -> transport.post(operation, resource.path(ip) + "/actions", body, deadline));
        return ApiJson.action(answer.path("action"));
    }

    /**
     * Reads an action. {@code /v2/actions/{id}} can 404 for a moment right after the action was created, so a
     * 404 falls back to {@code /v2/{resource}/{ip}/actions/{id}}; empty means neither knows it yet (the caller
     * then reads the IP's droplet).
     */
    public Optional<Action> getAction(String ip, long actionId, Deadline deadline) {
        try {
            return Optional.of(readAction("/v2/actions/" + actionId, deadline));
        } catch (ApiException e) {
            if (e.error().status() != 404) {
                throw e;
            }
        }
        try {
            return Optional.of(readAction(resource.path(ip) + "/actions/" + actionId, deadline));
        } catch (ApiException e) {
            if (e.error().status() != 404) {
                throw e;
            }
            return Optional.empty();
        }
    }

    private Action readAction(String path, Deadline deadline) {
        JsonNode body = retry.run("get action " + path, deadline,
                () -> transport.get(ApiOperation.GET_ACTION, path, deadline));
        return ApiJson.action(body.path("action"));
    }

    public Droplet getDroplet(long dropletId, Deadline deadline) {
        JsonNode body = retry.run("get droplet " + dropletId, deadline,
                () -> transport.get(ApiOperation.GET_DROPLET, "/v2/droplets/" + dropletId, deadline));
        return ApiJson.droplet(body.path("droplet"));
    }
}
