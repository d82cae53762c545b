package dev.tether.registry;

import dev.tether.SessionState;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Which sessions {@link Registry#sessions(SessionFilter)} returns: every condition that is set
 * must hold. An empty {@code states} set means any state.
 */
public record SessionFilter(Set<SessionState> states, Optional<String> instanceId, Optional<String> name,
                            Optional<String> tag) {
    private static final Set<SessionState> LIVE = Set.copyOf(
            EnumSet.of(SessionState.STARTING, SessionState.RUNNING, SessionState.STOPPING));

    public SessionFilter {
        states = Set.copyOf(states);
        Objects.requireNonNull(instanceId, "instanceId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(tag, "tag");
    }

    /** Every session, live or ended. */
    public static SessionFilter all() {
        return new SessionFilter(Set.of(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** Sessions of which something may still live: starting, running or stopping. */
    public static SessionFilter live() {
        return all().inStates(LIVE.toArray(SessionState[]::new));
    }

    public SessionFilter inStates(SessionState... wanted) {
        return new SessionFilter(Set.copyOf(Arrays.asList(wanted)), instanceId, name, tag);
    }

    public SessionFilter ofInstance(String id) {
        return new SessionFilter(states, Optional.of(id), name, tag);
    }

    public SessionFilter named(String n) {
        return new SessionFilter(states, instanceId, Optional.of(n), tag);
    }

    public SessionFilter taggedWith(String t) {
        return new SessionFilter(states, instanceId, name, Optional.of(t));
    }

    /** Whether this asks for exactly the live states (which the registry indexes). */
    boolean isLiveOnly() {
        return states.equals(LIVE);
    }
}
