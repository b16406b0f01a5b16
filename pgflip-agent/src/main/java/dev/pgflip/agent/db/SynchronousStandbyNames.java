package dev.pgflip.agent.db;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The standby names of a {@code synchronous_standby_names} value: {@code ANY 1 (n1, n2)}, {@code FIRST 1 (n1, n2)},
 * {@code 1 (n1, n2)} or a plain list; {@code *} matches any standby. PostgreSQL compares them with each standby's
 * application_name case-insensitively, and repmgr sets that to the node_name.
 */
public record SynchronousStandbyNames(List<String> names) {
    private static final Pattern WITH_COUNT = Pattern.compile("(?i)\\s*(?:(?:ANY|FIRST)\\s+)?\\d+\\s*\\((.*)\\)\\s*");

    public SynchronousStandbyNames {
        names = List.copyOf(names);
    }

    public static SynchronousStandbyNames parse(String value) {
        Matcher m = WITH_COUNT.matcher(value);
        String list = m.matches() ? m.group(1) : value;
        List<String> names = new ArrayList<>();
        for (String part : list.split(",")) {
            String name = part.strip();
            if (name.length() >= 2 && name.startsWith("\"") && name.endsWith("\"")) {
                name = name.substring(1, name.length() - 1);
            }
            if (!name.isEmpty()) {
                names.add(name);
            }
        }
        return new SynchronousStandbyNames(names);
    }

    /** Whether a walsender with this application_name can satisfy the setting (PostgreSQL's own matching rule). */
    public boolean includes(String standby) {
        return names.stream().anyMatch(n -> n.equals("*") || n.toLowerCase(Locale.ROOT).equals(standby.toLowerCase(Locale.ROOT)));
    }
}
