package dev.pgflip.agent.repmgr;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A repmgr.conf as repmgr reads it: {@code key=value} lines, {@code #} comments, values optionally in single quotes
 * (with {@code ''} or {@code \'} for a quote inside). Only reading: pgflip never rewrites repmgr's file.
 */
public final class RepmgrConf {
    private final Path file;
    private final Map<String, String> values;

    private RepmgrConf(Path file, Map<String, String> values) {
        this.file = file;
        this.values = values;
    }

    public static RepmgrConf read(Path file) {
        try {
            return parse(file, Files.readString(file));
        } catch (IOException e) {
            throw new RepmgrConfException("cannot read repmgr config " + file + ": " + e.getMessage()
                    + " (give this node's repmgr.conf, the file repmgrd runs with)", e);
        }
    }

    public static RepmgrConf parse(Path file, String text) {
        Map<String, String> values = new LinkedHashMap<>();
        int lineNo = 0;
        for (String raw : text.split("\n", -1)) {
            lineNo++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                throw new RepmgrConfException(file + " line " + lineNo + ": expected key=value, found \"" + line + "\"");
            }
            values.put(line.substring(0, eq).strip(), value(file, lineNo, line.substring(eq + 1).strip()));
        }
        return new RepmgrConf(file, values);
    }

    private static String value(Path file, int lineNo, String text) {
        if (!text.startsWith("'")) {
            int comment = text.indexOf('#');
            return (comment >= 0 ? text.substring(0, comment) : text).strip();
        }
        StringBuilder out = new StringBuilder();
        for (int i = 1; i < text.length(); i++) {
            char c = text.charAt(i);
            if ((c == '\\' || c == '\'') && i + 1 < text.length() && text.charAt(i + 1) == '\'') {
                out.append('\'');
                i++;
            } else if (c == '\'') {
                return out.toString();
            } else {
                out.append(c);
            }
        }
        throw new RepmgrConfException(file + " line " + lineNo + ": unterminated quoted value");
    }

    public Path file() {
        return file;
    }

    public Optional<String> get(String key) {
        return Optional.ofNullable(values.get(key));
    }

    /** An integer setting, or repmgr's default when absent. */
    public int intValue(String key, int repmgrDefault) {
        return get(key).map(v -> {
            try {
                return Integer.parseInt(v);
            } catch (NumberFormatException e) {
                throw new RepmgrConfException(file + ": " + key + "=" + v + " is not an integer");
            }
        }).orElse(repmgrDefault);
    }

    public Conninfo conninfo() {
        return Conninfo.parse(get("conninfo").orElseThrow(() -> new RepmgrConfException(file
                + " has no conninfo: every repmgr node needs one (see repmgr.conf.sample)")));
    }
}
