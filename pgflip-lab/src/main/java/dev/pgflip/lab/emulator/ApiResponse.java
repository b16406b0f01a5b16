package dev.pgflip.lab.emulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** An answer ready to send: status, headers and an already serialized body. */
record ApiResponse(int status, Map<String, String> headers, byte[] body) {

    static final String JSON = "application/json; charset=utf-8";
    static final String TEXT = "text/plain; charset=utf-8";

    static ApiResponse json(int status, Object body, ObjectMapper json) {
        try {
            return new ApiResponse(status, Map.of("Content-Type", JSON), json.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot serialize " + body.getClass().getSimpleName(), e);
        }
    }

    static ApiResponse text(int status, String body) {
        return new ApiResponse(status, Map.of("Content-Type", TEXT), body.getBytes(StandardCharsets.UTF_8));
    }

    static ApiResponse noContent() {
        return new ApiResponse(204, Map.of(), new byte[0]);
    }

    static ApiResponse error(ApiException error, String requestId, ObjectMapper json) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("id", error.code().id);
        body.put("message", error.getMessage());
        body.put("request_id", requestId);
        return json(error.code().status, body, json);
    }

    ApiResponse withHeader(String name, String value) {
        Map<String, String> merged = new LinkedHashMap<>(headers);
        merged.put(name, value);
        return new ApiResponse(status, Map.copyOf(merged), body);
    }

    void send(HttpExchange exchange) throws IOException {
        headers.forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
        boolean empty = body.length == 0;
        // -1 tells HttpServer "no body", which 204 requires.
        exchange.sendResponseHeaders(status, empty ? -1 : body.length);
        if (!empty) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
        exchange.close();
    }
}
