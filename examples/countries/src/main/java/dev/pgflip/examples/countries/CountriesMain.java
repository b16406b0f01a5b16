package dev.pgflip.examples.countries;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code java -jar countries.jar}: the seed's Sequelize app on pgflip. Exit 0 on success, 1 on failure, 2 on usage. */
@Command(name = "countries", mixinStandardHelpOptions = true,
        description = {"The seed's Sequelize app with Hibernate on pgflip's ClusterDataSource: create the countries"
                + " table, insert Portugal through the floating IP, find all countries on a standby; prints which"
                + " node served each statement.",
                "", "Settings come from the options or else the environment of `eval \"$(./pgflip lab env)\"`."})
public final class CountriesMain implements Callable<Integer> {
    @Option(names = "--write", paramLabel = "HOST[:PORT]", description = "Write endpoint, the floating IP (default: $PGFLIP_WRITE).")
    String write;

    @Option(names = "--read", paramLabel = "HOST[:PORT],...", description = "Read endpoints, standbys first (default: $PGFLIP_READ).")
    String read;

    @Option(names = "--database", description = "Database (default: $PGDATABASE).")
    String database;

    @Option(names = "--user", description = "User (default: $PGUSER).")
    String user;

    @Option(names = "--password-file", paramLabel = "FILE",
            description = "File holding the password (default: $PGFLIP_PASSWORD, $PGPASSWORD, else the pgpass file $PGPASSFILE).")
    Path passwordFile;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private final PrintStream out;

    CountriesMain(PrintStream out) {
        this.out = out;
    }

    @Override
    public Integer call() throws Exception {
        CountriesSettings settings;
        try {
            settings = CountriesSettings.resolve(new CountriesSettings.Options(write, read, database, user, passwordFile),
                    System.getenv());
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        new CountriesApp(settings, out).run();
        return 0;
    }

    public static void main(String[] args) {
        // UTF-8 whatever the locale: the output has arrows, and tests read it as UTF-8.
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        CommandLine cli = new CommandLine(new CountriesMain(out));
        cli.setOut(new java.io.PrintWriter(out, true));
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("countries: " + message(e));
            return 1;
        });
        System.exit(cli.execute(args));
    }

    /** The error and its causes on one line: the cause is usually the actionable part (a host, a SQLState). */
    static String message(Throwable e) {
        StringBuilder sb = new StringBuilder(String.valueOf(e.getMessage()));
        for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            if (c.getMessage() != null && !sb.toString().contains(c.getMessage())) {
                sb.append(": ").append(c.getMessage());
            }
        }
        return sb.toString();
    }
}
