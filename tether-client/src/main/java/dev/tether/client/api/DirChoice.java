package dev.tether.client.api;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * A session directory: {@code true} in JSON for one named after the session id, or a relative
 * name inside the daemon's sessions base (a name that would leave it is refused with 422).
 */
public record DirChoice(String name) {
    /** A directory named after the session id. */
    public static DirChoice byId() {
        return new DirChoice(null);
    }

    public static DirChoice named(String relativeName) {
        return new DirChoice(relativeName);
    }

    @JsonValue
    Object json() {
        return name == null ? Boolean.TRUE : name;
    }
}
