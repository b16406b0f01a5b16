package dev.pgflip.spring;

/** The {@code pgflip.*} settings do not make a valid ClusterDataSource; the message names every bad key. */
public final class InvalidPgflipConfigurationException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public InvalidPgflipConfigurationException(String message, Throwable cause) {
        super(message, cause);
    }
}
