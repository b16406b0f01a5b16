package dev.pgflip.agent.digitalocean;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.OptionalLong;

/** Maps API JSON to value objects, tolerating unknown and missing fields. */
final class ApiJson {
    private ApiJson() {}

    static FloatingIp floatingIp(JsonNode n) {
        JsonNode droplet = n.path("droplet");
        boolean held = droplet.isObject() && droplet.has("id");
        return new FloatingIp(
                n.path("ip").asText(),
                held ? OptionalLong.of(droplet.path("id").asLong()) : OptionalLong.empty(),
                held && droplet.hasNonNull("name") ? Optional.of(droplet.path("name").asText()) : Optional.empty(),
                n.path("locked").asBoolean(false),
                n.path("region").path("slug").asText(""));
    }

    static Action action(JsonNode n) {
        return new Action(
                n.path("id").asLong(),
                n.path("status").asText(""),
                n.path("type").asText(""),
                instant(n.path("started_at")),
                instant(n.path("completed_at")));
    }

    static Droplet droplet(JsonNode n) {
        return new Droplet(
                n.path("id").asLong(),
                n.path("name").asText(""),
                n.path("status").asText(""),
                n.path("region").path("slug").asText(""));
    }

    static Optional<Instant> instant(JsonNode n) {
        if (!n.isTextual() || n.asText().isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(OffsetDateTime.parse(n.asText()).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
