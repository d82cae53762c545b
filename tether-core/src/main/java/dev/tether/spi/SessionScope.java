package dev.tether.spi;

import dev.tether.ProcessId;
import dev.tether.Signal;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The set of processes that belong to one session, as a platform can find them: a cgroup, or the
 * session's process group plus its environment marker, or a descendants sweep. The one stop
 * algorithm works only through this interface.
 */
public interface SessionScope {

    /** Tells the scope who the main process is, once it has been spawned. */
    void bind(ProcessId main);

    /** Live (non-zombie) members now. */
    List<ProcessId> members();

    /** Whether no member lives. */
    boolean isEmpty();

    /**
     * Sends a signal to each of these members, checking each identity at delivery.
     *
     * @return how many were delivered
     */
    int signal(Collection<ProcessId> members, Signal signal);

    /**
     * Kills every member now, including ones forked since {@code members} was listed where the
     * mechanism allows it (cgroup.kill); otherwise stops then kills each listed member.
     */
    void killAll(Collection<ProcessId> members);

    /** Freezes the scope so no member can fork while it is being signalled; false if unsupported. */
    default boolean freeze() {
        return false;
    }

    /** Undoes {@link #freeze()}. */
    default void thaw() {}

    /** Removes what the scope created (the cgroup directory). Only once {@link #isEmpty()}. */
    void release();

    /** The cgroup path, when the scope is a cgroup. */
    default Optional<String> cgroup() {
        return Optional.empty();
    }

    /** One line for logs and reports: what this scope is. */
    String describe();
}
