package dev.pgflip.agent.repmgr;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A repmgr.conf read the way repmgr 5.3 reads it (its configfile-scan.l): one {@code name [=] value} per line,
 * {@code #} starts a comment, a value is a single-quoted string ({@code ''} and backslash escapes), a number, or an
 * unquoted word that starts with a letter and goes on with letters, digits and {@code - . _ : /} (so an unquoted path
 * starting with {@code /} is a syntax error, as repmgr says). A repeated name keeps its last value. Problems are
 * collected with their line numbers rather than thrown, so all of them can be shown at once.
 *
 * <pre>{@code
 * RepmgrConf conf = RepmgrConf.read(Path.of("/etc/repmgr.conf"));
 * Optional<String> promote = conf.value("promote_command");
 * }</pre>
 */
public record RepmgrConf(Path file, Map<String, String> values, List<String> problems) {
    private static final Set<String> TRUE_WORDS = Set.of("1", "on", "true", "yes");
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z_0-9]*(\\.[A-Za-z_][A-Za-z_0-9]*)?");
    private static final Pattern NUMBER =
            Pattern.compile("[-+]?(\\d+|0x[0-9a-fA-F]+)[a-zA-Z]*|[-+]?\\d*\\.\\d*([Ee][-+]?\\d+)?");
    private static final Pattern UNQUOTED = Pattern.compile("[A-Za-z_\\x80-\\xff][A-Za-z_0-9\\x80-\\xff./:-]*");

    public RepmgrConf {
        values = Map.copyOf(values);
        problems = List.copyOf(problems);
    }

    public static RepmgrConf read(Path file) throws IOException {
        return parse(Files.readString(file, StandardCharsets.UTF_8), file);
    }

    public static RepmgrConf parse(String text, Path file) {
        Map<String, String> values = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            new Line(lines[i], i + 1, values, problems).parse();
        }
        return new RepmgrConf(file, values, problems);
    }

    public Optional<String> value(String name) {
        return Optional.ofNullable(values.get(name));
    }

    /** {@code data_directory}: this node's PostgreSQL data directory, as repmgr's own commands use it. */
    public Optional<Path> dataDirectory() {
        return value("data_directory").map(Path::of);
    }

    /**
     * A PostgreSQL program ({@code pg_ctl}, {@code pg_controldata}, …) where repmgr itself looks for it: in
     * {@code pg_bindir} when set, else its bare name for PATH.
     */
    public Path program(String name) {
        return value("pg_bindir").filter(d -> !d.isBlank()).map(d -> Path.of(d).resolve(name)).orElse(Path.of(name));
    }

    /** A boolean setting as repmgr accepts it (yes/no, on/off, true/false, 1/0), false when absent. */
    public boolean flag(String name) {
        return value(name).map(v -> TRUE_WORDS.contains(v.toLowerCase(Locale.ROOT))).orElse(false);
    }

    public boolean isValid() {
        return problems.isEmpty();
    }

    /** One line of the file: a small scanner over its characters. */
    private static final class Line {
        private final String text;
        private final int number;
        private final Map<String, String> values;
        private final List<String> problems;
        private int pos;

        Line(String text, int number, Map<String, String> values, List<String> problems) {
            this.text = text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
            this.number = number;
            this.values = values;
            this.problems = problems;
        }

        void parse() {
            skipBlanks();
            if (atEnd()) {
                return;
            }
            String name = word(false);
            if (!NAME.matcher(name).matches()) {
                problem("\"" + name + "\" is not a setting name");
                return;
            }
            skipBlanks();
            if (!atEnd() && text.charAt(pos) == '=') {
                pos++;
                skipBlanks();
            }
            Optional<String> value = value();
            if (value.isEmpty()) {
                return;
            }
            skipBlanks();
            if (!atEnd()) {
                problem("unexpected text after the value of " + name);
                return;
            }
            values.put(name, value.get());
        }

        private Optional<String> value() {
            if (atEnd()) {
                problem("missing value");
                return Optional.empty();
            }
            char first = text.charAt(pos);
            if (first == '\'') {
                return quoted();
            }
            String word = word(true);
            if (!NUMBER.matcher(word).matches() && !UNQUOTED.matcher(word).matches()) {
                problem("value \"" + word + "\" must be single-quoted");
                return Optional.empty();
            }
            return Optional.of(word);
        }

        private Optional<String> quoted() {
            StringBuilder out = new StringBuilder();
            pos++;
            while (!atEnd()) {
                char c = text.charAt(pos);
                if (c == '\\' && pos + 1 < text.length()) {
                    out.append(text.charAt(pos + 1));
                    pos += 2;
                } else if (c == '\'' && pos + 1 < text.length() && text.charAt(pos + 1) == '\'') {
                    out.append('\'');
                    pos += 2;
                } else if (c == '\'') {
                    pos++;
                    return Optional.of(out.toString());
                } else {
                    out.append(c);
                    pos++;
                }
            }
            problem("unterminated quoted value");
            return Optional.empty();
        }

        /** Characters up to a blank, '=', '#' or quote (a value may contain '=' only when quoted). */
        private String word(boolean value) {
            int start = pos;
            while (!atEnd()) {
                char c = text.charAt(pos);
                if (Character.isWhitespace(c) || c == '#' || c == '\'' || (!value && c == '=')) {
                    break;
                }
                pos++;
            }
            return text.substring(start, pos);
        }

        private void skipBlanks() {
            while (!atEnd() && (text.charAt(pos) == ' ' || text.charAt(pos) == '\t')) {
                pos++;
            }
            if (!atEnd() && text.charAt(pos) == '#') {
                pos = text.length();
            }
        }

        private boolean atEnd() {
            return pos >= text.length();
        }

        private void problem(String what) {
            problems.add("line " + number + ": " + what + ": " + text.strip());
        }
    }
}
