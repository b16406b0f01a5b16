package dev.pgflip.lab.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code /v2/floating_ips} and {@code /v2/reserved_ips}: one store under two names.
 *
 * <p>Emulator extension: a create body may carry {@code "ip": "198.18.0.100"} to choose the address, because the lab
 * needs a known one; the real API always allocates.
 */
final class FloatingIpEndpoints {
    private final FloatingIpStore store;
    private final ActionRunner runner;
    private final ApiViews views;
    private final ObjectMapper json;
    private final Set<String> regions;

    FloatingIpEndpoints(FloatingIpStore store, ActionRunner runner, ApiViews views, ObjectMapper json,
                        Set<String> regions) {
        this.store = store;
        this.runner = runner;
        this.views = views;
        this.json = json;
        this.regions = regions;
    }

    /** @param rest the segments after the collection name */
    ApiResponse handle(ApiRequest request, IpNaming naming, List<String> rest) {
        String method = request.method();
        String base = "/v2/" + naming.collection;
        switch (rest.size()) {
            case 0:
                if (method.equals("GET")) {
                    Page<ApiViews.IpView> page = Page.of(request, base, store.ips().stream().map(views::ip).toList());
                    return ApiResponse.json(200, page.body(naming.collection), json);
                }
                if (method.equals("POST")) {
                    return create(request, naming);
                }
                break;
            case 1:
                if (method.equals("GET")) {
                    return ipAnswer(200, naming, store.ip(rest.get(0)).orElseThrow(ApiException::notFound));
                }
                if (method.equals("DELETE")) {
                    store.delete(rest.get(0), naming);
                    return ApiResponse.noContent();
                }
                break;
            case 2:
                if (!rest.get(1).equals("actions")) {
                    throw ApiException.notFound();
                }
                String ip = store.ip(rest.get(0)).orElseThrow(ApiException::notFound).ip();
                if (method.equals("GET")) {
                    Page<ApiViews.ActionView> page = Page.of(request, base + "/" + ip + "/actions",
                            store.actionsOn(ip).stream().map(ApiViews::action).toList());
                    return ApiResponse.json(200, page.body("actions"), json);
                }
                if (method.equals("POST")) {
                    return ActionEndpoints.actionAnswer(201, startAction(request, ip, naming), json);
                }
                break;
            case 3:
                if (!rest.get(1).equals("actions") || !method.equals("GET")) {
                    throw ApiException.notFound();
                }
                long id = ActionEndpoints.parseId(rest.get(2));
                ActionRecord action = store.action(id).filter(a -> a.ip().equals(rest.get(0)))
                        .orElseThrow(ApiException::notFound);
                return ActionEndpoints.actionAnswer(200, action, json);
            default:
                throw ApiException.notFound();
        }
        throw new ApiException(ErrorCode.METHOD_NOT_ALLOWED, method + " is not supported on " + base
                + (rest.isEmpty() ? "" : "/" + String.join("/", rest)) + ".");
    }

    private ApiResponse create(ApiRequest request, IpNaming naming) {
        JsonNode body = request.jsonObject(json);
        Optional<String> ip = optionalIp(body);
        boolean hasDroplet = body.hasNonNull("droplet_id");
        boolean hasRegion = body.hasNonNull("region");
        if (hasDroplet == hasRegion) {
            throw ApiException.unprocessable("Exactly one of droplet_id or region must be given.");
        }
        FloatingIpStore.Created created;
        if (hasDroplet) {
            created = runner.createOnDroplet(ip, dropletId(body), naming);
        } else {
            JsonNode region = body.get("region");
            if (!region.isTextual() || !regions.contains(region.asText())) {
                throw ApiException.unprocessable("region must be one of " + regions + ", got " + region + ".");
            }
            created = store.createInRegion(ip, region.asText());
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put(naming.single, views.ip(created.ip()));
        answer.put("links", ApiViews.createLinks(request.origin(), created.ip(), created.assign()));
        return ApiResponse.json(202, answer, json);
    }

    private ActionRecord startAction(ApiRequest request, String ip, IpNaming naming) {
        JsonNode body = request.jsonObject(json);
        JsonNode type = body.get("type");
        if (type == null || !type.isTextual()) {
            throw ApiException.unprocessable("type is required and must be \"assign\" or \"unassign\".");
        }
        switch (type.asText()) {
            case "assign":
                return runner.assign(ip, dropletId(body), naming);
            case "unassign":
                return runner.unassign(ip, naming);
            default:
                throw ApiException.unprocessable("type must be \"assign\" or \"unassign\", got \""
                        + type.asText() + "\".");
        }
    }

    private ApiResponse ipAnswer(int status, IpNaming naming, FloatingIp ip) {
        return ApiResponse.json(status, Map.of(naming.single, views.ip(ip)), json);
    }

    private static long dropletId(JsonNode body) {
        JsonNode id = body.get("droplet_id");
        if (id == null || !id.canConvertToLong() || !id.isIntegralNumber() || id.asLong() < 1) {
            throw ApiException.unprocessable("droplet_id is required and must be a positive integer"
                    + (id == null ? "." : ", got " + id + "."));
        }
        return id.asLong();
    }

    private static Optional<String> optionalIp(JsonNode body) {
        JsonNode ip = body.get("ip");
        if (ip == null || ip.isNull()) {
            return Optional.empty();
        }
        if (!ip.isTextual() || !Ipv4.isValid(ip.asText())) {
            throw ApiException.unprocessable("ip must be a dotted IPv4 address, got " + ip + ".");
        }
        return Optional.of(ip.asText());
    }
}
