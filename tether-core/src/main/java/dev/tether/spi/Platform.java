package dev.tether.spi;

import dev.tether.Containment;
import dev.tether.ProcessId;
import dev.tether.ProcessInfo;
import dev.tether.Signal;
import java.util.List;
import java.util.Optional;

/**
 * What a supervisor needs from the operating system: make a containment scope for a session,
 * spawn into it, signal by identity, and look at processes. One instance per JVM and containment
 * level; it owns the process-wide machinery (exit watcher, zombie reaper) and is never closed.
 */
public interface Platform {

    /** The containment level this platform gives every scope it creates. */
    Containment containment();

    /** Creates the (empty) scope a session's processes will live in; before the spawn. */
    SessionScope createScope(ScopeKey key);

    /**
     * Re-attaches to the scope of a session started earlier (possibly by a dead supervisor), from
     * what was recorded about it, to find and stop what is left.
     */
    SessionScope attachScope(ScopeKey key, Optional<String> cgroup, Optional<ProcessId> main);

    /** Spawns the main process of a session inside its scope. */
    SpawnedProcess spawn(SpawnRequest request);

    /**
     * Sends a signal to exactly this process: never to another process that now holds its pid.
     *
     * @return whether the signal was delivered (false: gone, or the pid belongs to someone else)
     */
    boolean signal(ProcessId target, Signal signal);

    /** What the system says about a live process now. */
    Optional<ProcessInfo> describe(long pid);

    /** Every live process carrying any Tether session marker (visible to this user). */
    List<ProcessInfo> markedProcesses();

    /**
     * Removes what the platform made for a supervisor instance (its cgroup), once its sessions are gone.
     *
     * @return whether something was removed
     */
    default boolean releaseInstance(String instanceId) {
        return false;
    }

    /**
     * Removes what the platform made for a supervisor instance known to be dead (by identity),
     * first killing whatever is still inside it. Its sessions have been stopped by then, but a
     * spawn the instance had in flight when it died can enter its session's cgroup afterwards
     * (the gate runs once the dead JVM's vfork child execs), and a process whose row was lost is
     * stopped by no session. Kills and retries until the removal succeeds (after which nothing
     * can enter) or a short limit passes.
     *
     * @return whether something was removed
     */
    default boolean releaseDeadInstance(String instanceId) {
        return releaseInstance(instanceId);
    }

    /** Starts the guardian of a supervisor instance; {@link Guardian#NONE} where there is none. */
    default Guardian startGuardian(String instanceId) {
        return Guardian.NONE;
    }

    /** The cgroup {@link #createScope} will create for this key, if this platform uses cgroups. */
    default Optional<String> cgroupPath(ScopeKey key) {
        return Optional.empty();
    }

    /** Supervisor instances whose guardian process lives now (a sign the instance lives). */
    default java.util.Set<String> guardedInstances() {
        return java.util.Set.of();
    }
}
