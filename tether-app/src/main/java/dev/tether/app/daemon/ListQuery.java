package dev.tether.app.daemon;

import dev.tether.client.api.SessionState;
import java.util.Set;

/**
 * A {@code GET /sessions} filter: the states wanted (empty: the live ones, or every state with
 * {@code includeEnded}), a name, a tag, and how many rows at most.
 */
record ListQuery(Set<SessionState> states, String name, String tag, boolean includeEnded, int limit) {
    static final int DEFAULT_LIMIT = 1000;
    static final int MAX_LIMIT = 10_000;

    boolean wants(SessionState s, String n, java.util.Collection<String> tags) {
        boolean stateOk = states.isEmpty() ? (includeEnded || !s.isTerminal()) : states.contains(s);
        return stateOk && (name == null || name.equals(n)) && (tag == null || tags.contains(tag));
    }

    /** Whether rows that have ended can match. */
    boolean mayWantEnded() {
        return states.isEmpty() ? includeEnded : states.stream().anyMatch(SessionState::isTerminal);
    }
}
