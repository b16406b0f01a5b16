package dev.pgflip.lab.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The emulator's own endpoints under {@code /_emulator} (same bearer token as the API, never subject to faults):
 * <ul>
 *   <li>{@code POST /_emulator/faults} with one of {@code {"status":429|500|503|422,"count":N}},
 *       {@code {"latency_ms":5000,"count":N}} (count -1 = until cleared) or {@code {"refuse_ms":60000}};</li>
 *   <li>{@code DELETE /_emulator/faults} clears them;</li>
 *   <li>{@code GET /_emulator/faults} answers {@code {"pending_errors":N,"latency_ms":L,"delayed_requests":D}}: the
 *       injected error answers not yet given (-1: until cleared), the latency in force (null: none) and how many API
 *       requests the latest latency fault has held;</li>
 *   <li>{@code GET /_emulator/actions} lists every action so far;</li>
 *   <li>{@code PUT /_emulator/settings} with {@code {"action_delay_ms":N}} sets how long an assign or unassign action
 *       stays in progress from now on (DigitalOcean's take seconds; the lab's default is 250 ms), and
 *       {@code GET /_emulator/settings} answers it.</li>
 * </ul>
 */
final class AdminHandler implements HttpHandler {
    static final String PREFIX = "/_emulator/";

    private final BearerToken token;
    private final FaultInjector faults;
    private final Supplier<List<ActionRecord>> actions;
    private final ActionRunner runner;
    private final ObjectMapper json;

    AdminHandler(BearerToken token, FaultInjector faults, Supplier<List<ActionRecord>> actions, ActionRunner runner,
                 ObjectMapper json) {
        this.token = token;
        this.faults = faults;
        this.actions = actions;
        this.runner = runner;
        this.json = json;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        ApiRequest request = ApiRequest.read(exchange, PREFIX, UUID.randomUUID().toString());
        Runnable afterAnswer = () -> {};
        ApiResponse response;
        try {
            if (!token.acceptsAuthorizationHeader(exchange.getRequestHeaders().getFirst("Authorization"))) {
                throw new ApiException(ErrorCode.UNAUTHORIZED);
            }
            if (request.method().equals("POST") && request.segments().equals(List.of("faults"))) {
                afterAnswer = addFault(request.jsonObject(json));
                response = ApiResponse.noContent();
            } else if (request.method().equals("PUT") && request.segments().equals(List.of("settings"))) {
                JsonNode body = request.jsonObject(json);
                if (!body.has("action_delay_ms")) {
                    throw ApiException.unprocessable("Expected action_delay_ms.");
                }
                runner.delay(Duration.ofMillis(intField(body, "action_delay_ms")));
                response = settings();
            } else {
                response = route(request);
            }
        } catch (ApiException e) {
            response = ApiResponse.error(e, request.requestId(), json);
        } catch (IllegalArgumentException e) {
            response = ApiResponse.error(ApiException.unprocessable(e.getMessage()), request.requestId(), json);
        }
        response.send(exchange);
        afterAnswer.run();
    }

    private ApiResponse route(ApiRequest request) {
        String path = String.join("/", request.segments());
        switch (request.method() + " " + path) {
            case "DELETE faults":
                faults.clear();
                return ApiResponse.noContent();
            case "GET faults":
                Map<String, Object> state = new LinkedHashMap<>();
                state.put("pending_errors", faults.pendingErrors());
                state.put("latency_ms", faults.latency().map(Duration::toMillis).orElse(null));
                state.put("delayed_requests", faults.delayedRequests());
                return ApiResponse.json(200, state, json);
            case "GET settings":
                return settings();
            case "GET actions":
                return ApiResponse.json(200, Map.of("actions", actions.get().stream().map(AdminHandler::view)
                        .toList()), json);
            default:
                throw ApiException.notFound();
        }
    }

    private ApiResponse settings() {
        return ApiResponse.json(200, Map.of("action_delay_ms", runner.delay().toMillis()), json);
    }

    /** Adds the fault the body describes; returns what must wait until the answer is sent. */
    private Runnable addFault(JsonNode body) {
        int count = body.has("count") ? intField(body, "count") : 1;
        if (body.has("status")) {
            faults.failNext(intField(body, "status"), count);
        } else if (body.has("latency_ms")) {
            faults.delayNext(Duration.ofMillis(intField(body, "latency_ms")), count);
        } else if (body.has("refuse_ms")) {
            Duration refusal = Duration.ofMillis(intField(body, "refuse_ms"));
            if (refusal.isNegative() || refusal.isZero()) {
                throw ApiException.unprocessable("refuse_ms must be positive, got " + refusal.toMillis() + ".");
            }
            // Refusing closes this very connection too, so the answer goes out first.
            return () -> faults.refuseConnections(refusal);
        } else {
            throw ApiException.unprocessable("Expected one of status, latency_ms or refuse_ms.");
        }
        return () -> {};
    }

    private static int intField(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (!value.isInt()) {
            throw ApiException.unprocessable(field + " must be an integer, got " + value + ".");
        }
        return value.asInt();
    }

    /** An action with {@code Instant}s as ISO-8601 text, for scripts that inspect a drill. */
    private static Map<String, Object> view(ActionRecord a) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", a.id());
        view.put("type", a.type().wireName());
        view.put("ip", a.ip());
        view.put("droplet_id", a.dropletId().isPresent() ? a.dropletId().getAsLong() : null);
        view.put("status", a.status().wireName());
        view.put("started_at", a.startedAt().toString());
        view.put("completed_at", a.completedAt().map(Object::toString).orElse(null));
        view.put("resource_type", a.resourceType());
        return view;
    }
}
