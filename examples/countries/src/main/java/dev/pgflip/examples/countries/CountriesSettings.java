package dev.pgflip.examples.countries;

import dev.pgflip.jdbc.ClusterDataSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Where the app connects, from command-line options or else the environment {@code ./pgflip lab env} prints. The
 * password comes from {@code --password-file}, {@code PGFLIP_PASSWORD} or {@code PGPASSWORD}; with none of them,
 * pgjdbc reads the pgpass file ({@code PGPASSFILE}, which the lab exports, or {@code ~/.pgpass}).
 *
 * @param password null when the pgpass file provides it
 */
public record CountriesSettings(String write, List<String> read, String database, String user, String password) {

    /** What the user typed; null where an option was not given. */
    public record Options(String write, String read, String database, String user, Path passwordFile) {}

    public CountriesSettings {
        read = List.copyOf(read);
    }

    /**
     * Resolves every setting, options first; reports all missing ones at once, each with its option and variable.
     *
     * @throws IllegalArgumentException naming what is missing or unreadable
     */
    public static CountriesSettings resolve(Options options, Map<String, String> env) {
        List<String> errors = new ArrayList<>();
        String write = pick(options.write(), env, "PGFLIP_WRITE", "write endpoint (the floating IP)", "--write", errors);
        String read = pick(options.read(), env, "PGFLIP_READ", "read endpoints (standbys first)", "--read", errors);
        String database = pick(options.database(), env, "PGDATABASE", "database", "--database", errors);
        String user = pick(options.user(), env, "PGUSER", "user", "--user", errors);
        String password = password(options.passwordFile(), env, errors);
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException("missing settings: " + String.join("; ", errors)
                    + " (for the lab: eval \"$(./pgflip lab env)\")");
        }
        List<String> readHosts = Arrays.stream(read.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        return new CountriesSettings(write.trim(), readHosts, database.trim(), user.trim(), password);
    }

    /** The seed's Sequelize options as a pgflip data source: {@code pool: {max: 10, idle: 30000}}. */
    public ClusterDataSource dataSource() {
        var builder = ClusterDataSource.builder()
                .write(write)
                .read(read.toArray(String[]::new))
                .database(database).user(user)
                .maxPoolSize(10).idleTimeout(Duration.ofSeconds(30));
        if (password != null) {
            builder.password(password);
        }
        return builder.build();
    }

    /** The write endpoint's host, to recognise connections that came in through the floating IP. */
    public String writeHost() {
        int colon = write.lastIndexOf(':');
        return colon < 0 ? write : write.substring(0, colon);
    }

    private static String pick(String option, Map<String, String> env, String variable, String what, String flag,
            List<String> errors) {
        String value = option != null && !option.isBlank() ? option : env.get(variable);
        if (value == null || value.isBlank()) {
            errors.add(what + ": " + flag + " or " + variable);
        }
        return value;
    }

    private static String password(Path file, Map<String, String> env, List<String> errors) {
        if (file != null) {
            try {
                return Files.readString(file, StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                errors.add("password: cannot read --password-file " + file + " (" + e + ")");
                return null;
            }
        }
        for (String variable : List.of("PGFLIP_PASSWORD", "PGPASSWORD")) {
            String value = env.get(variable);
            if (value != null && !value.isEmpty()) {
                return value;
            }
        }
        String passFile = env.get("PGPASSFILE");
        Path pgpass = passFile != null && !passFile.isBlank() ? Path.of(passFile)
                : Path.of(System.getProperty("user.home"), ".pgpass");
        if (!Files.isReadable(pgpass)) {
            errors.add("password: --password-file, PGFLIP_PASSWORD, PGPASSWORD or a pgpass file (PGPASSFILE; "
                    + pgpass + " is not readable)");
        }
        return null;
    }

    @Override
    public String toString() {
        return "write=" + write + " read=" + read + " database=" + database + " user=" + user + " password="
                + (password == null ? "(pgpass)" : "****");
    }
}
