package dev.tether.app.daemon;

import dev.tether.client.api.PortHolder;
import java.util.List;

/**
 * An answer other than success, with its HTTP status, a stable machine code and a message that
 * says what was wrong and how to fix it. Thrown by handlers; written as
 * {@code {"error": {"code", "message"}}} by the one error handler.
 */
final class ApiException extends RuntimeException {
    final int status;
    final String code;
    final List<String> logTail;
    final List<PortHolder> holders;

    ApiException(int status, String code, String message) {
        this(status, code, message, null, null);
    }

    ApiException(int status, String code, String message, List<String> logTail, List<PortHolder> holders) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.logTail = logTail;
        this.holders = holders;
    }

    /** 400: the request cannot be read (syntax, types, unknown or missing fields). */
    static ApiException badRequest(String code, String message) {
        return new ApiException(400, code, message);
    }

    /** 400 for one field, naming it. */
    static ApiException field(String field, String message) {
        return new ApiException(400, "invalid_field", field + ": " + message);
    }

    static ApiException notFound(String message) {
        return new ApiException(404, "not_found", message);
    }

    static ApiException conflict(String code, String message) {
        return new ApiException(409, code, message);
    }

    /** 422: well-formed, but it cannot be done (a program that will not start, a directory that is not there). */
    static ApiException unprocessable(String code, String message) {
        return new ApiException(422, code, message);
    }
}
