package dev.pgflip.agent.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pgflip.common.DurationText;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * One mapping of the YAML tree, read key by key. Problems are collected (not thrown) so the user sees every
 * mistake at once; each names the full key, the value and what was expected. Keys never read are reported as
 * unknown by {@link #rejectUnknownKeys()}.
 */
final class YamlSection {
    private final JsonNode node;
    private final String path;
    private final List<String> problems;
    private final Set<String> known = new TreeSet<>();

    YamlSection(JsonNode node, String path, List<String> problems) {
        this.node = node;
        this.path = path;
        this.problems = problems;
    }

    String key(String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    boolean has(String name) {
        known.add(name);
        JsonNode v = node.get(name);
        return v != null && !v.isNull();
    }

    void problem(String name, JsonNode value, String expectation) {
        problems.add(key(name) + ": " + (value == null ? "" : show(value) + " ") + expectation);
    }

    /** A problem whose message already names the key. */
    void problem(String message) {
        problems.add(message);
    }

    void missing(String name, String expectation) {
        problems.add(key(name) + ": missing, expected " + expectation);
    }

    Optional<YamlSection> section(String name) {
        if (!has(name)) {
            return Optional.empty();
        }
        JsonNode v = node.get(name);
        if (!v.isObject()) {
            problem(name, v, "is not a mapping of keys");
            return Optional.empty();
        }
        return Optional.of(new YamlSection(v, key(name), problems));
    }

    Optional<String> optionalString(String name) {
        if (!has(name)) {
            return Optional.empty();
        }
        JsonNode v = node.get(name);
        if (!v.isValueNode() || v.asText().isBlank()) {
            problem(name, v, "is not a non-empty string");
            return Optional.empty();
        }
        return Optional.of(v.asText().trim());
    }

    Optional<String> requiredString(String name, String expectation) {
        Optional<String> v = optionalString(name);
        if (v.isEmpty() && !has(name)) {
            missing(name, expectation);
        }
        return v;
    }

    /** A string checked by {@code parser}; {@code parser} returns empty when invalid. */
    <T> Optional<T> parsed(String name, Function<String, Optional<T>> parser, String invalidText) {
        Optional<String> text = optionalString(name);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        Optional<T> v = parser.apply(text.get());
        if (v.isEmpty()) {
            problem(name, node.get(name), invalidText);
        }
        return v;
    }

    OptionalLong optionalPositiveLong(String name) {
        if (!has(name)) {
            return OptionalLong.empty();
        }
        JsonNode v = node.get(name);
        if (!v.canConvertToLong() || !v.isIntegralNumber() || v.asLong() <= 0) {
            problem(name, v, "is not a positive whole number");
            return OptionalLong.empty();
        }
        return OptionalLong.of(v.asLong());
    }

    /** A TCP port (1-65535); empty when absent, or when invalid (the problem recorded). */
    OptionalInt optionalTcpPort(String name) {
        OptionalLong p = optionalPositiveLong(name);
        if (p.isPresent() && p.getAsLong() > 65535) {
            problem(name, null, p.getAsLong() + " is not a TCP port (1-65535)");
            return OptionalInt.empty();
        }
        return p.isPresent() ? OptionalInt.of((int) p.getAsLong()) : OptionalInt.empty();
    }

    Optional<Duration> duration(String name, Duration defaultValue) {
        if (!has(name)) {
            return Optional.of(defaultValue);
        }
        Optional<Duration> d = optionalString(name).flatMap(text -> duration(name, text, ""));
        if (d.isPresent() && d.get().isZero()) {
            problem(name, node.get(name), "must be longer than 0");
            return Optional.empty();
        }
        return d;
    }

    /**
     * {@code text}, the value of {@code name}, in pgflip's one duration grammar ({@link DurationText}); else a problem
     * naming the key, why and the accepted forms, then {@code alsoAccepted} (e.g. {@code ", or auto"}).
     */
    Optional<Duration> duration(String name, String text, String alsoAccepted) {
        try {
            return Optional.of(DurationText.parse(key(name), text));
        } catch (IllegalArgumentException e) {
            problem(e.getMessage() + alsoAccepted);
            return Optional.empty();
        }
    }

    /** A list of non-empty strings (an argv). */
    Optional<List<String>> stringList(String name) {
        if (!has(name)) {
            return Optional.empty();
        }
        JsonNode v = node.get(name);
        if (!v.isArray()) {
            problem(name, v, "is not a list (give the command as an argv list, e.g. [/usr/bin/x, arg], not a shell string)");
            return Optional.empty();
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            JsonNode item = v.get(i);
            if (!item.isValueNode() || item.isNull() || item.asText().isEmpty()) {
                problems.add(key(name) + "[" + i + "]: " + show(item) + " is not a non-empty string");
                return Optional.empty();
            }
            out.add(item.asText());
        }
        return Optional.of(out);
    }

    /** A list of mappings, each read by {@code reader}. */
    <T> List<T> sectionList(String name, Function<YamlSection, Optional<T>> reader) {
        List<T> out = new ArrayList<>();
        if (!has(name)) {
            return out;
        }
        JsonNode v = node.get(name);
        if (!v.isArray()) {
            problem(name, v, "is not a list");
            return out;
        }
        for (int i = 0; i < v.size(); i++) {
            JsonNode item = v.get(i);
            String itemPath = key(name) + "[" + i + "]";
            if (!item.isObject()) {
                problems.add(itemPath + ": " + show(item) + " is not a mapping of keys");
                continue;
            }
            YamlSection s = new YamlSection(item, itemPath, problems);
            reader.apply(s).ifPresent(out::add);
            s.rejectUnknownKeys();
        }
        return out;
    }

    void rejectUnknownKeys() {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!known.contains(name)) {
                problems.add(key(name) + ": unknown key (expected one of " + String.join(", ", known) + ")");
            }
        }
    }

    private static String show(JsonNode v) {
        if (v.isTextual()) {
            return "\"" + v.asText() + "\"";
        }
        return v.toString();
    }
}
