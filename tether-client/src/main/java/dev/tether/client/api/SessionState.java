package dev.tether.client.api;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;

/**
 * Where a session is in its life, as the daemon reports it. The terminal states promise that
 * nothing of the session lives; {@code RESTARTING} means nothing lives now and a restart is due.
 */
public enum SessionState {
    STARTING, RUNNING, STOPPING, RESTARTING, EXITED, STOPPED, LOST, CULLED, FAILED,
    /** A state this client does not know (a newer daemon). */
    @JsonEnumDefaultValue UNKNOWN;

    public boolean isTerminal() {
        return switch (this) {
            case STARTING, RUNNING, STOPPING, RESTARTING, UNKNOWN -> false;
            default -> true;
        };
    }
}
