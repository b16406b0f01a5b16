package dev.pgflip.lab.emulator;

/** The error ids and default messages the real API answers with, per HTTP status. */
enum ErrorCode {
    BAD_REQUEST(400, "bad_request", "The request could not be understood."),
    UNAUTHORIZED(401, "unauthorized", "Unable to authenticate you."),
    /** A known token without the scope the request needs, e.g. a read-only token's POST. */
    FORBIDDEN(403, "forbidden", "You do not have access for the attempted action."),
    NOT_FOUND(404, "not_found", "The resource you were accessing could not be found."),
    METHOD_NOT_ALLOWED(405, "method_not_allowed", "Method not allowed."),
    UNPROCESSABLE_ENTITY(422, "unprocessable_entity", "The request could not be processed."),
    TOO_MANY_REQUESTS(429, "too_many_requests", "API Rate limit exceeded."),
    SERVER_ERROR(500, "server_error", "Server was unable to give you a response."),
    SERVICE_UNAVAILABLE(503, "service_unavailable", "The service is temporarily unavailable.");

    final int status;
    final String id;
    final String defaultMessage;

    ErrorCode(int status, String id, String defaultMessage) {
        this.status = status;
        this.id = id;
        this.defaultMessage = defaultMessage;
    }

    static ErrorCode forStatus(int status) {
        for (ErrorCode code : values()) {
            if (code.status == status) {
                return code;
            }
        }
        throw new IllegalArgumentException("no DigitalOcean error id for HTTP status " + status);
    }
}
