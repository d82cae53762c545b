package dev.tether.client.api;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;
import java.util.Map;

/**
 * A port a session asks for. In JSON a fixed port is a number ({@code 8080}), a range is
 * {@code {"range": [20000, 20999]}}, and {@code "any"} takes any free port from the daemon's range.
 */
public sealed interface PortChoice {
    /** Exactly this port: the start fails with 409 if another process holds it. */
    record Fixed(int port) implements PortChoice {
        @JsonValue
        int json() {
            return port;
        }
    }

    /** Any free, unleased port from {@code first..last} (inclusive). */
    record Range(int first, int last) implements PortChoice {
        @JsonValue
        Map<String, List<Integer>> json() {
            return Map.of("range", List.of(first, last));
        }
    }

    /** Any free, unleased port from the daemon's configured range. */
    record Any() implements PortChoice {
        @JsonValue
        String json() {
            return "any";
        }
    }

    static PortChoice fixed(int port) {
        return new Fixed(port);
    }

    static PortChoice range(int first, int last) {
        return new Range(first, last);
    }

    static PortChoice any() {
        return new Any();
    }
}
