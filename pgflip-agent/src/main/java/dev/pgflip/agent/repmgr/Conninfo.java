package dev.pgflip.agent.repmgr;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A libpq keyword/value connection string as repmgr stores it ({@code host=… port=… connect_timeout=2}); values may
 * be single-quoted. Only the keywords pgflip needs are interpreted.
 */
public final class Conninfo {
    public static final int DEFAULT_PORT = 5432;
    private final Map<String, String> values;

    private Conninfo(Map<String, String> values) {
        this.values = values;
    }

    public static Conninfo parse(String text) {
        Map<String, String> values = new LinkedHashMap<>();
        int i = 0;
        int n = text.length();
        while (i < n) {
            while (i < n && Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            int eq = text.indexOf('=', i);
            if (i >= n || eq < 0) {
                break;
            }
            String key = text.substring(i, eq).strip();
            i = eq + 1;
            while (i < n && Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            StringBuilder value = new StringBuilder();
            if (i < n && text.charAt(i) == '\'') {
                i++;
                while (i < n && text.charAt(i) != '\'') {
                    if (text.charAt(i) == '\\' && i + 1 < n) {
                        i++;
                    }
                    value.append(text.charAt(i++));
                }
                i++;
            } else {
                while (i < n && !Character.isWhitespace(text.charAt(i))) {
                    value.append(text.charAt(i++));
                }
            }
            values.put(key, value.toString());
        }
        return new Conninfo(values);
    }

    public Optional<String> host() {
        return Optional.ofNullable(values.get("host"));
    }

    public int port() {
        return intValue("port").orElse(DEFAULT_PORT);
    }

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
}
