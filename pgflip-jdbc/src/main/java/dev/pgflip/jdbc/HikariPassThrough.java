package dev.pgflip.jdbc;

import com.zaxxer.hikari.util.UtilityElf;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * HikariCP settings pgflip does not choose itself, given by their HikariCP names (or Spring's kebab-case spelling of
 * them) and passed to every pool. Settings pgflip does choose are refused with the key to use instead, because a
 * value given twice would leave the user guessing which one holds; object-valued settings cannot be written as text.
 */
final class HikariPassThrough {
    private enum Kind { BOOLEAN, TEXT, ISOLATION, VALIDATION_MILLIS, CLASS_NAME }

    private static final Map<String, Kind> PASSED = Map.of(
            "autoCommit", Kind.BOOLEAN,
            "transactionIsolation", Kind.ISOLATION,
            "catalog", Kind.TEXT,
            "schema", Kind.TEXT,
            "connectionInitSql", Kind.TEXT,
            "connectionTestQuery", Kind.TEXT,
            "validationTimeout", Kind.VALIDATION_MILLIS,
            "isolateInternalQueries", Kind.BOOLEAN,
            "allowPoolSuspension", Kind.BOOLEAN,
            "exceptionOverrideClassName", Kind.CLASS_NAME);

    private static final Map<String, String> CHOSEN_BY_PGFLIP = Map.ofEntries(
            Map.entry("jdbcUrl", "pgflip.write and pgflip.read"),
            Map.entry("username", "pgflip.user"),
            Map.entry("password", "pgflip.password"),
            Map.entry("poolName", "pgflip.name (the pools are pgflip-<name>-writer, -reader-<n>, -direct-<n>)"),
            Map.entry("maximumPoolSize", "pgflip.pool.max"),
            Map.entry("minimumIdle", "pgflip.pool.min-idle"),
            Map.entry("idleTimeout", "pgflip.pool.idle-timeout"),
            Map.entry("connectionTimeout", "pgflip.pool.connection-timeout"),
            Map.entry("maxLifetime", "pgflip.pool.max-lifetime"),
            Map.entry("keepaliveTime", "pgflip.pool.keepalive-time"),
            Map.entry("leakDetectionThreshold", "pgflip.pool.leak-detection-threshold"),
            Map.entry("readOnly", "nothing: pgflip chooses it per role (readers read-only, writers read-write)"),
            Map.entry("registerMbeans", "pgflip.jmx (one MBean per pool that survives its renewals)"),
            Map.entry("metricRegistry", "the builder's meterRegistry"),
            Map.entry("metricsTrackerFactory", "the builder's meterRegistry"),
            Map.entry("initializationFailTimeout", "nothing: pgflip starts every pool without a connection (a host"
                    + " down at start is the health checks' business)"),
            Map.entry("driverClassName", "nothing: pgflip uses pgjdbc (pgjdbc settings go in pgflip.property.*)"),
            Map.entry("dataSourceClassName", "nothing: pgflip uses pgjdbc (pgjdbc settings go in pgflip.property.*)"),
            Map.entry("dataSourceProperties", "pgflip.property.<pgjdbc property>"));

    private HikariPassThrough() {
    }

    /** HikariCP's name for {@code key}: {@code connection-init-sql} becomes {@code connectionInitSql}. */
    static String hikariName(String key) {
        StringBuilder name = new StringBuilder();
        boolean upper = false;
        for (char c : key.toCharArray()) {
            if (c == '-') {
                upper = true;
            } else {
                name.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return name.toString();
    }

    /** The settings under HikariCP's names, each checked; every problem goes to {@code errors}. */
    static Map<String, String> check(Map<String, String> given, List<String> errors) {
        Map<String, String> settings = new LinkedHashMap<>();
        given.forEach((key, value) -> {
            String name = hikariName(key);
            String shown = "pgflip.hikari." + key + " (hikari)";
            if (CHOSEN_BY_PGFLIP.containsKey(name)) {
                errors.add(shown + " is set by pgflip: use " + CHOSEN_BY_PGFLIP.get(name) + " instead");
            } else if (!PASSED.containsKey(name)) {
                errors.add(shown + " is not a HikariCP setting pgflip passes on: expected one of "
                        + new TreeSet<>(PASSED.keySet()));
            } else if (settings.containsKey(name)) {
                errors.add(shown + " is given twice (as " + name + " and in kebab-case): expected it once");
            } else if (value == null) {
                errors.add(shown + " has no value");
            } else {
                String problem = problem(PASSED.get(name), value.trim());
                if (problem != null) {
                    errors.add(shown + " = '" + value + "': " + problem);
                } else {
                    settings.put(name, value.trim());
                }
            }
        });
        return settings;
    }

    private static String problem(Kind kind, String value) {
        switch (kind) {
            case BOOLEAN:
                return value.equals("true") || value.equals("false") ? null : "expected true or false";
            case ISOLATION:
                try {
                    UtilityElf.getTransactionIsolation(value.toUpperCase(Locale.ROOT));
                    return null;
                } catch (IllegalArgumentException e) {
                    return "expected TRANSACTION_READ_COMMITTED, TRANSACTION_REPEATABLE_READ or TRANSACTION_SERIALIZABLE";
                }
            case VALIDATION_MILLIS:
                try {
                    return Long.parseLong(value) >= 250 ? null : "expected milliseconds >= 250 (HikariCP's minimum)";
                } catch (NumberFormatException e) {
                    return "expected milliseconds >= 250, a plain number (HikariCP's own unit)";
                }
            case CLASS_NAME:
                try {
                    Class<?> type = Class.forName(value, false, HikariPassThrough.class.getClassLoader());
                    return com.zaxxer.hikari.SQLExceptionOverride.class.isAssignableFrom(type) ? null
                            : "expected a class implementing com.zaxxer.hikari.SQLExceptionOverride";
                } catch (ClassNotFoundException | LinkageError e) {
                    return "no such class on the class path";
                }
            default:
                return null;
        }
    }
}
