package dev.tether.client;

import dev.tether.client.api.ApiError;
import java.util.List;
import java.util.Optional;

/**
 * The daemon answered with an error: its HTTP status, its stable {@code code} (e.g.
 * {@code invalid_field}, {@code not_found}, {@code port_in_use}, {@code not_ready}) and its
 * message, which says what to fix.
 */
public class TetherApiException extends RuntimeException {
    private final int status;
    private final String code;
    private final transient ApiError.Detail detail;

    public TetherApiException(int status, ApiError.Detail detail) {
        super("HTTP " + status + " " + detail.code() + ": " + detail.message());
        this.status = status;
        this.code = detail.code();
        this.detail = detail;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    /** The daemon's message alone, without status and code. */
    public String reason() {
        return detail.message();
    }

    /** The failed session's last output lines, when a start or readiness failed. */
    public List<String> logTail() {
        return Optional.ofNullable(detail.logTail()).orElse(List.of());
    }

    public ApiError.Detail detail() {
        return detail;
    }
}
