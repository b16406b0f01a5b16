package dev.pgflip.lab.emulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;

/** {@code GET /v2/droplets} and {@code GET /v2/droplets/{id}}: the fixed droplets the emulator was built with. */
final class DropletEndpoints {
    private final FloatingIpStore store;
    private final ApiViews views;
    private final ObjectMapper json;

    DropletEndpoints(FloatingIpStore store, ApiViews views, ObjectMapper json) {
        this.store = store;
        this.views = views;
        this.json = json;
    }

    ApiResponse handle(ApiRequest request, List<String> rest) {
        if (!request.method().equals("GET")) {
            throw new ApiException(ErrorCode.METHOD_NOT_ALLOWED, request.method() + " is not supported on droplets.");
        }
        if (rest.isEmpty()) {
            Page<ApiViews.DropletView> page = Page.of(request, "/v2/droplets",
                    store.droplets().stream().map(views::droplet).toList());
            return ApiResponse.json(200, page.body("droplets"), json);
        }
        if (rest.size() != 1) {
            throw ApiException.notFound();
        }
        EmulatedDroplet droplet = store.droplet(ActionEndpoints.parseId(rest.get(0)))
                .orElseThrow(ApiException::notFound);
        return ApiResponse.json(200, Map.of("droplet", views.droplet(droplet)), json);
    }
}
