package dev.pgflip.agent.db;

import dev.pgflip.agent.ExitCode;
import dev.pgflip.agent.PgflipException;
import dev.pgflip.agent.config.DatabaseConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Properties;

/**
 * pgjdbc properties for the agent's own short checks: 1 s connect, socket and login timeouts so a dead node can
 * never stall a loop, and the password from {@code node.database.password_file} (else pgjdbc's pgpass lookup).
 */
public final class JdbcProperties {
    private JdbcProperties() {}

    public static Properties of(DatabaseConfig db, String applicationName) {
        return of(db, applicationName, 1);
    }

    /**
     * With {@code seconds} for each timeout: for commands an operator runs (doctor, switchover), where a node slow to
     * answer on a loaded machine must not pass for a dead one, and a statement may run for long.
     */
    public static Properties of(DatabaseConfig db, String applicationName, int seconds) {
        Properties props = new Properties();
        props.setProperty("user", db.user());
        props.setProperty("connectTimeout", String.valueOf(seconds));
        props.setProperty("socketTimeout", String.valueOf(seconds));
        props.setProperty("loginTimeout", String.valueOf(seconds));
        props.setProperty("ApplicationName", applicationName);
        db.passwordFile().ifPresent(f -> {
            try {
                props.setProperty("password", Files.readString(f).trim());
            } catch (IOException e) {
                throw new PgflipException(ExitCode.USAGE, "cannot read node.database.password_file " + f + ": " + e.getMessage(), e);
            }
        });
        return props;
    }
}
