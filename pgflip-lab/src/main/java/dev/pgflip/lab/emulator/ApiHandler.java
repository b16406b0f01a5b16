package dev.pgflip.lab.emulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything under {@code /v2}: injected faults first (they stand for a sick API, which fails before it looks at
 * the token), then the rate limit, then authentication (401), then the token's scope (403 for a read-only token's
 * write, whatever the path or body), then the endpoint. Every answer carries the {@code ratelimit-*} headers.
 */
final class ApiHandler implements HttpHandler {
    private static final Logger log = LoggerFactory.getLogger(ApiHandler.class);
    static final String PREFIX = "/v2/";

    private final AccessTokens tokens;
    private final FaultInjector faults;
    private final RateLimiter rateLimiter;
    private final FloatingIpEndpoints floatingIps;
    private final DropletEndpoints droplets;
    private final ActionEndpoints actions;
    private final AccountEndpoint account;
    private final ObjectMapper json;

    ApiHandler(AccessTokens tokens, FaultInjector faults, RateLimiter rateLimiter, FloatingIpEndpoints floatingIps,
               DropletEndpoints droplets, ActionEndpoints actions, AccountEndpoint account, ObjectMapper json) {
        this.tokens = tokens;
        this.faults = faults;
        this.rateLimiter = rateLimiter;
        this.floatingIps = floatingIps;
        this.droplets = droplets;
        this.actions = actions;
        this.account = account;
        this.json = json;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        String requestId = UUID.randomUUID().toString();
        ApiResponse response;
        RateLimiter.Decision limit;
        try {
            ApiRequest request = ApiRequest.read(exchange, PREFIX, requestId);
            OptionalInt injected = injectedStatus();
            if (injected.isPresent()) {
                limit = rateLimiter.peek();
                response = injectedAnswer(injected.getAsInt(), requestId);
            } else {
                limit = rateLimiter.acquire();
                response = limit.allowed() ? authorizedAnswer(exchange, request)
                        : ApiResponse.error(new ApiException(ErrorCode.TOO_MANY_REQUESTS), requestId, json)
                                .withHeader("retry-after", Long.toString(limit.retryAfterSeconds()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exchange.close();
            return;
        }
        withRateLimitHeaders(response, limit).send(exchange);
    }

    private OptionalInt injectedStatus() throws InterruptedException {
        // The latency fault sleeps on the exchange's own thread, as a slow API would keep the connection open.
        Duration latency = faults.takeLatency().orElse(Duration.ZERO);
        if (!latency.isZero()) {
            Thread.sleep(latency.toMillis());
        }
        return faults.takeStatus();
    }

    private ApiResponse injectedAnswer(int status, String requestId) {
        ErrorCode code = ErrorCode.forStatus(status);
        String message = code == ErrorCode.UNPROCESSABLE_ENTITY
                ? "The floating IP already has a pending event." : code.defaultMessage;
        ApiResponse response = ApiResponse.error(new ApiException(code, message), requestId, json);
        return code == ErrorCode.TOO_MANY_REQUESTS ? response.withHeader("retry-after", "1") : response;
    }

    private ApiResponse authorizedAnswer(HttpExchange exchange, ApiRequest request) {
        try {
            AccessTokens.Scope scope = tokens.scopeOf(exchange.getRequestHeaders().getFirst("Authorization"))
                    .orElseThrow(() -> new ApiException(ErrorCode.UNAUTHORIZED));
            if (!scope.allows(request.method())) {
                throw new ApiException(ErrorCode.FORBIDDEN);
            }
            return route(request);
        } catch (ApiException e) {
            return ApiResponse.error(e, request.requestId(), json);
        } catch (RuntimeException e) {
            log.error("request_id={} {} {} failed", request.requestId(), request.method(),
                    exchange.getRequestURI(), e);
            return ApiResponse.error(new ApiException(ErrorCode.SERVER_ERROR), request.requestId(), json);
        }
    }

    private ApiResponse route(ApiRequest request) {
        List<String> segments = request.segments();
        if (segments.isEmpty()) {
            throw ApiException.notFound();
        }
        List<String> rest = segments.subList(1, segments.size());
        IpNaming naming = IpNaming.forCollection(segments.get(0));
        if (naming != null) {
            return floatingIps.handle(request, naming, rest);
        }
        switch (segments.get(0)) {
            case "droplets":
                return droplets.handle(request, rest);
            case "actions":
                return actions.handle(request, rest);
            case "account":
                return account.handle(request, rest);
            default:
                throw ApiException.notFound();
        }
    }

    private static ApiResponse withRateLimitHeaders(ApiResponse response, RateLimiter.Decision limit) {
        return response.withHeader("ratelimit-limit", Integer.toString(limit.limit()))
                .withHeader("ratelimit-remaining", Integer.toString(limit.remaining()))
                .withHeader("ratelimit-reset", Long.toString(limit.resetEpochSeconds()));
    }
}
