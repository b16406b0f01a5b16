package dev.pgflip.agent.digitalocean;

/** The API answered with an error status. */
public class ApiException extends RuntimeException {
    private final ApiError error;

    public ApiException(String operation, ApiError error) {
        super(operation + " failed: " + error);
        this.error = error;
    }

    public ApiError error() {
        return error;
    }
}
