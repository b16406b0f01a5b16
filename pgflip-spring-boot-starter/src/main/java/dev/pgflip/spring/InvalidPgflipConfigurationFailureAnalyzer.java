package dev.pgflip.spring;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns an invalid {@code pgflip.*} configuration into Spring Boot's start-up report: one line per bad key in the
 * description, and where the settings come from in the action, instead of a stack trace.
 */
final class InvalidPgflipConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<InvalidPgflipConfigurationException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidPgflipConfigurationException cause) {
        String description = cause.getMessage().replaceFirst(": ", ":\n    ").replace("; ", "\n    ");
        String action = "Set the pgflip.* properties named above (application.yml, or the environment: PGFLIP_WRITE"
                + " for pgflip.write, ...). The user may also come from spring.datasource.username, the password from"
                + " spring.datasource.password or else a pgpass file. Set pgflip.enabled=false to leave the DataSource"
                + " to Spring Boot.";
        return new FailureAnalysis(description, action, cause);
    }
}
