package dev.tether;

import dev.tether.internal.Identities;
import java.util.Objects;
import java.util.Optional;

/**
 * Who a process is, not just its number: the boot it ran in, its pid, and its start time.
 * A pid alone is reused by the kernel; all three together name one process forever, so a
 * {@code ProcessId} whose pid now belongs to someone else is simply not alive.
 *
 * <p>{@code startTime} is in the platform's native unit: on Linux, clock ticks since boot
 * (field 22 of {@code /proc/<pid>/stat}); elsewhere, milliseconds since the epoch. Compare
 * identities only with identities taken on the same platform.
 */
public record ProcessId(String bootId, long pid, long startTime) {

    public ProcessId {
        Objects.requireNonNull(bootId, "bootId");
        if (pid <= 0) {
            throw new IllegalArgumentException("pid must be positive, got " + pid);
        }
    }

    /** The current identity of the process with this pid, if one lives now. */
    public static Optional<ProcessId> of(long pid) {
        return Identities.of(pid);
    }

    /** This JVM's own identity. */
    public static ProcessId current() {
        return Identities.of(ProcessHandle.current().pid())
                .orElseThrow(() -> new IllegalStateException("cannot read this process's own identity"));
    }

    /**
     * Whether this very process still runs: same boot, and the pid is held by a process with the
     * same start time that is not a zombie.
     */
    public boolean isAlive() {
        return Identities.isAlive(this);
    }

    @Override
    public String toString() {
        return pid + "@" + startTime;
    }
}
