package dev.pgflip.agent.db;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A libpq keyword/value connection string as repmgr stores it in {@code repmgr.nodes.conninfo}
 * ({@code host=198.18.0.12 port=5432 user=repmgr dbname=repmgr}). Values may be single-quoted, with {@code \'} and
 * {@code \\} escapes, as libpq allows. Passwords are parsed like any key but never shown by {@link #toString()}.
 */
public record Conninfo(Map<String, String> values) {
    public static final int DEFAULT_PORT = 5432;

    public Conninfo {
        values = Map.copyOf(values);
    }

    public static Conninfo parse(String text) {
        Map<String, String> values = new LinkedHashMap<>();
        int i = 0;
        int n = text.length();
        while (i < n) {
            while (i < n && Character.isWhitespace(text.charAt(i))) i++;
            int keyStart = i;
            while (i < n && text.charAt(i) != '=' && !Character.isWhitespace(text.charAt(i))) i++;
            String key = text.substring(keyStart, i);
            while (i < n && Character.isWhitespace(text.charAt(i))) i++;
            if (key.isEmpty() || i >= n || text.charAt(i) != '=') {
                break; // not keyword/value syntax (a URI, or garbage): keep what was read
            }
            i++;
            while (i < n && Character.isWhitespace(text.charAt(i))) i++;
            StringBuilder value = new StringBuilder();
            boolean quoted = i < n && text.charAt(i) == '\'';
            if (quoted) i++;
            while (i < n) {
                char c = text.charAt(i);
                if (c == '\\' && i + 1 < n) {
                    value.append(text.charAt(i + 1));
                    i += 2;
                } else if (quoted ? c == '\'' : Character.isWhitespace(c)) {
                    i++;
                    break;
                } else {
                    value.append(c);
                    i++;
                }
            }
            values.put(key, value.toString());
        }
        return new Conninfo(values);
    }

    public Optional<String> host() {
        return Optional.ofNullable(values.get("host")).filter(h -> !h.isEmpty());
    }

    /** The port, 5432 when absent; empty when it is not a number. */
    public OptionalInt port() {
        String p = values.get("port");
        if (p == null || p.isEmpty()) {
            return OptionalInt.of(DEFAULT_PORT);
        }
        try {
            return OptionalInt.of(Integer.parseInt(p));
        } catch (NumberFormatException e) {
            return OptionalInt.empty();
        }
    }

    /** A whole-number setting such as connect_timeout or tcp_user_timeout; empty when absent or not a number. */
    public OptionalInt intValue(String key) {
        String v = values.get(key);
        if (v == null || v.isBlank()) {
            return OptionalInt.empty();
        }
        try {
            return OptionalInt.of(Integer.parseInt(v.strip()));
        } catch (NumberFormatException e) {
            return OptionalInt.empty();
        }
    }

    public Optional<String> dbname() {
        return Optional.ofNullable(values.get("dbname"));
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        values.forEach((k, v) -> out.append(out.length() == 0 ? "" : " ").append(k).append('=')
                .append(k.equals("password") ? "****" : v));
        return out.toString();
    }
}
