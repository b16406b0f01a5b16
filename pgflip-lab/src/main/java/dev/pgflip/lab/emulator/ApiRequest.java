package dev.pgflip.lab.emulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One HTTP request, read fully and split into what the endpoints route on.
 *
 * @param method   HTTP method, upper case
 * @param segments path segments after the context prefix, e.g. {@code [floating_ips, 198.18.0.100, actions]}
 * @param query    decoded query parameters (last value wins)
 * @param body     raw body, possibly empty
 * @param origin   {@code https://host:port} as the client addressed us, for absolute links
 * @param requestId random id echoed in error bodies
 */
record ApiRequest(String method, List<String> segments, Map<String, String> query, byte[] body, String origin,
                  String requestId) {

    private static final int MAX_BODY_BYTES = 64 * 1024;

    static ApiRequest read(HttpExchange exchange, String contextPrefix, String requestId) throws IOException {
        String path = exchange.getRequestURI().getRawPath();
        String rest = path.length() > contextPrefix.length() ? path.substring(contextPrefix.length()) : "";
        List<String> segments = Arrays.stream(rest.split("/")).filter(s -> !s.isEmpty())
                .map(s -> URLDecoder.decode(s, StandardCharsets.UTF_8)).toList();
        String host = Optional.ofNullable(exchange.getRequestHeaders().getFirst("Host"))
                .orElseGet(() -> exchange.getLocalAddress().getHostString() + ":"
                        + exchange.getLocalAddress().getPort());
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readNBytes(MAX_BODY_BYTES);
        }
        return new ApiRequest(exchange.getRequestMethod().toUpperCase(java.util.Locale.ROOT), segments,
                parseQuery(exchange.getRequestURI().getRawQuery()), body,
                (exchange instanceof com.sun.net.httpserver.HttpsExchange ? "https://" : "http://") + host, requestId);
    }

    /** The body as a JSON object; an empty body counts as {@code {}} so field checks name what is missing. */
    JsonNode jsonObject(ObjectMapper json) {
        if (body.length == 0) {
            return json.createObjectNode();
        }
        JsonNode node;
        try {
            node = json.readTree(body);
        } catch (JsonProcessingException e) {
            throw new ApiException(ErrorCode.BAD_REQUEST, "The request body is not valid JSON: "
                    + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ApiException(ErrorCode.BAD_REQUEST, "The request body could not be read.");
        }
        if (node == null || node.isMissingNode() || node.isNull()) {
            return json.createObjectNode();
        }
        if (!node.isObject()) {
            throw new ApiException(ErrorCode.BAD_REQUEST, "The request body must be a JSON object.");
        }
        return node;
    }

    /** A positive integer query parameter, or the default when absent. */
    int positiveIntParam(String name, int defaultValue) {
        String value = query.get(name);
        if (value == null || value.isEmpty()) {
            return defaultValue;
        }
        try {
            int parsed = Integer.parseInt(value);
            if (parsed >= 1) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // falls through to the same answer as a non-positive number
        }
        throw ApiException.unprocessable(name + " must be a positive integer, got '" + value + "'.");
    }

    private static Map<String, String> parseQuery(String rawQuery) {
        Map<String, String> params = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return params;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            params.put(URLDecoder.decode(key, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
        }
        return params;
    }
}
