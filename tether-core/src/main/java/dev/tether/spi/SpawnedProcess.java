package dev.tether.spi;

import dev.tether.Exit;
import dev.tether.ProcessId;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** A main process just spawned: its identity, its exit, and the caller's ends of any pipes. */
public interface SpawnedProcess {
    ProcessId id();

    /** Completes once the process has exited and been reaped. */
    CompletableFuture<Exit> onExit();

    /**
     * Runs {@code action} once the process has been reaped, as early as the platform can: on
     * Linux on the thread that reaps it, before {@link #onExit()} completes on another. The
     * action must not block. By default, when {@link #onExit()} completes.
     */
    default void whenReaped(Runnable action) {
        onExit().whenComplete((exit, error) -> action.run());
    }

    Optional<OutputStream> stdin();

    Optional<InputStream> stdout();

    Optional<InputStream> stderr();
}
