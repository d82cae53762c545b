package dev.tether.spi;

import java.util.Objects;

/** Names a session's scope: the supervisor instance that owns it and the session id. */
public record ScopeKey(String instanceId, String sessionId) {
    public ScopeKey {
        Objects.requireNonNull(instanceId, "instanceId");
        Objects.requireNonNull(sessionId, "sessionId");
    }

    /** The environment entry every process of the session carries, e.g. {@code TETHER_SESSION=abc}. */
    public String markerEntry() {
        return dev.tether.ProcessSpec.SESSION_MARKER + "=" + sessionId;
    }
}
