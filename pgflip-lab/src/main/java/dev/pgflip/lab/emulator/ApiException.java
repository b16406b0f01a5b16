package dev.pgflip.lab.emulator;

/** An API error answer: thrown anywhere below a handler, written as {@code {"id","message","request_id"}}. */
final class ApiException extends RuntimeException {
    private final ErrorCode code;

    ApiException(ErrorCode code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    ApiException(ErrorCode code) {
        this(code, code.defaultMessage);
    }

    static ApiException notFound() {
        return new ApiException(ErrorCode.NOT_FOUND);
    }

    static ApiException unprocessable(String message) {
        return new ApiException(ErrorCode.UNPROCESSABLE_ENTITY, message);
    }

    ErrorCode code() {
        return code;
    }
}
