package dev.tether;

import java.util.Optional;

/** A port a session asks for: a fixed number, or any free one from a range (default: the settings' range). */
public sealed interface PortRequest {
    /** Exactly this port; starting fails if someone else holds it. */
    record Fixed(int port) implements PortRequest {
        public Fixed {
            if (port < 1 || port > 65535) {
                throw new InvalidSpecException("port", "must be 1..65535, got " + port);
            }
        }
    }

    /** Any port that is free and unleased, from {@code range}, or from the settings' range when empty. */
    record AnyIn(Optional<PortRange> range) implements PortRequest {}

    static PortRequest fixed(int port) {
        return new Fixed(port);
    }

    static PortRequest anyIn(PortRange range) {
        return new AnyIn(Optional.of(range));
    }

    /** Any free port from the supervisor's configured range (default 20000-29999). */
    static PortRequest any() {
        return new AnyIn(Optional.empty());
    }
}
