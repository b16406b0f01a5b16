package dev.pgflip.agent.digitalocean;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
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
        List<String> addresses = new ArrayList<>();
        n.path("networks").path("v4").forEach(v4 -> {
            if (v4.hasNonNull("ip_address")) {
                addresses.add(v4.path("ip_address").asText());
            }
        });
        return new Droplet(
                n.path("id").asLong(),
                n.path("name").asText(""),
                n.path("status").asText(""),
                n.path("region").path("slug").asText(""),
                addresses);
    }

    static Account account(JsonNode n) {
        return new Account(n.path("uuid").asText(""), n.path("status").asText(""), n.path("status_message").asText(""));
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
