package dev.pgflip.lab.emulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * {@code /v2/actions} and {@code /v2/actions/{id}}.
 *
 * <p>The real API sometimes answers 404 for an action that was just created; {@code visibilityDelay} reproduces
 * that for {@code GET /v2/actions/{id}} so clients' fallback (read the IP instead) gets exercised.
 */
final class ActionEndpoints {
    private final FloatingIpStore store;
    private final ObjectMapper json;
    private final Duration visibilityDelay;
    private final Clock clock;

    ActionEndpoints(FloatingIpStore store, ObjectMapper json, Duration visibilityDelay, Clock clock) {
        this.store = store;
        this.json = json;
        this.visibilityDelay = visibilityDelay;
        this.clock = clock;
    }

    ApiResponse handle(ApiRequest request, List<String> rest) {
        if (!request.method().equals("GET")) {
            throw new ApiException(ErrorCode.METHOD_NOT_ALLOWED, request.method() + " is not supported on actions.");
        }
        if (rest.isEmpty()) {
            Page<ApiViews.ActionView> page = Page.of(request, "/v2/actions",
                    store.actions().stream().map(ApiViews::action).toList());
            return ApiResponse.json(200, page.body("actions"), json);
        }
        if (rest.size() != 1) {
            throw ApiException.notFound();
        }
        ActionRecord action = store.action(parseId(rest.get(0)))
                .filter(a -> !clock.instant().isBefore(a.startedAt().plus(visibilityDelay)))
                .orElseThrow(ApiException::notFound);
        return actionAnswer(200, action, json);
    }

    static ApiResponse actionAnswer(int status, ActionRecord action, ObjectMapper json) {
        return ApiResponse.json(status, Map.of("action", ApiViews.action(action)), json);
    }

    /** Action ids are positive integers; anything else cannot name an action, so it is simply not found. */
    static long parseId(String segment) {
        try {
            return Long.parseLong(segment);
        } catch (NumberFormatException e) {
            throw ApiException.notFound();
        }
    }
}
