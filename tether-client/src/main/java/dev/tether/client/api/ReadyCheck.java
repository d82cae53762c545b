package dev.tether.client.api;

import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A readiness probe, in JSON {@code {"tcp": {"timeout": "10s"}}}, {@code {"http": {"path": "/health",
 * "timeout": "10s"}}} or {@code {"log": {"pattern": "listening on", "timeout": "10s"}}}. TCP and HTTP
 * probe the session's port on 127.0.0.1 (so the session needs a port); HTTP expects a 2xx; a log
 * probe waits for a line of the session's output matching the regular expression.
 */
public sealed interface ReadyCheck {
    Duration timeout();

    record Tcp(Duration timeout) implements ReadyCheck {
        @JsonValue
        Map<String, Object> json() {
            return Map.of("tcp", body(timeout, null, null));
        }
    }

    record Http(String path, Duration timeout) implements ReadyCheck {
        @JsonValue
        Map<String, Object> json() {
            return Map.of("http", body(timeout, "path", path));
        }
    }

    record Log(String pattern, Duration timeout) implements ReadyCheck {
        @JsonValue
        Map<String, Object> json() {
            return Map.of("log", body(timeout, "pattern", pattern));
        }
    }

    static ReadyCheck tcp(Duration timeout) {
        return new Tcp(timeout);
    }

    static ReadyCheck http(String path, Duration timeout) {
        return new Http(path, timeout);
    }

    static ReadyCheck log(String regex, Duration timeout) {
        return new Log(regex, timeout);
    }

    private static Map<String, Object> body(Duration timeout, String key, String value) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (key != null) {
            m.put(key, value);
        }
        if (timeout != null) {
            m.put("timeout", timeout.toString());
        }
        return m;
    }
}
