package dev.tether.client.api;

import java.util.List;

/**
 * Every error answer: {@code {"error": {"code": "...", "message": "..."}}}. {@code logTail} is set
 * when a session failed to start or get ready, {@code holders} when a port is held.
 */
public record ApiError(Detail error) {
    public record Detail(String code, String message, List<String> logTail, List<PortHolder> holders) {}
}
