package dev.tether.internal;

import dev.tether.ProcessId;
import dev.tether.linux.ProcFs;
import java.time.Instant;
import java.util.Optional;

/**
 * Reads process identities: from {@code /proc} where it exists (start time in clock ticks since
 * boot, exact), else from {@link ProcessHandle} (start time in epoch milliseconds).
 */
public final class Identities {
    private static final boolean PROC = ProcFs.available();
    private static final String BOOT_ID = PROC ? ProcFs.bootId() : "";

    private Identities() {}

    public static String bootId() {
        return BOOT_ID;
    }

    public static Optional<ProcessId> of(long pid) {
        if (pid <= 0) {
            return Optional.empty();
        }
        if (PROC) {
            return ProcFs.statIfPresent(pid).filter(s -> !s.isZombie()).map(s -> new ProcessId(BOOT_ID, pid, s.startTime()));
        }
        return ProcessHandle.of(pid).flatMap(Identities::of);
    }

    /** The identity of a handle (portable path). */
    public static Optional<ProcessId> of(ProcessHandle handle) {
        if (PROC) {
            return of(handle.pid());
        }
        return handle.info().startInstant().map(Instant::toEpochMilli).map(t -> new ProcessId(BOOT_ID, handle.pid(), t));
    }

    /** Same boot, same pid, same start time, and not a zombie. */
    public static boolean isAlive(ProcessId id) {
        if (!id.bootId().equals(BOOT_ID)) {
            return false;
        }
        return of(id.pid()).map(now -> now.startTime() == id.startTime()).orElse(false);
    }
}
