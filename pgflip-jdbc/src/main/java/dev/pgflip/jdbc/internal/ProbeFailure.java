package dev.pgflip.jdbc.internal;

import java.sql.SQLException;

/**
 * Why one probe of a host failed, and whether the server said no ({@code refused}: nothing listening, or a shutdown
 * SQLState) rather than simply not answering in time. Only the first is proof that the server is gone.
 */
public record ProbeFailure(String description, boolean refused) {

    /** A probe that got no usable answer: timed out, reset, refused the login, ... */
    public static ProbeFailure noAnswer(String description) {
        return new ProbeFailure(description, false);
    }

    /** A probe the server refused: connection refused, or 57P01/57P02/57P03. */
    public static ProbeFailure refused(String description) {
        return new ProbeFailure(description, true);
    }

    /** The failure a probe's exception means (the decision is {@link FailureClassifier#refused}'s). */
    public static ProbeFailure of(Exception e) {
        String state = e instanceof SQLException sql && sql.getSQLState() != null ? " [" + sql.getSQLState() + "]" : "";
        return new ProbeFailure(e.getClass().getSimpleName() + state + ": " + e.getMessage(),
                FailureClassifier.refused(e));
    }
}
