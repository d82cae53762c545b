package dev.tether.spi;

import dev.tether.Exit;
import dev.tether.ProcessId;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/** A main process just spawned: its identity, its exit, and the caller's ends of any pipes. */
public interface SpawnedProcess {
    ProcessId id();

    /** Completes once the process has exited and been reaped. */
    CompletableFuture<Exit> onExit();

    /**
     * What to do once the process has been reaped, in two steps. {@code action} runs first and
     * must not block: on Linux just before {@link #onExit()} completes, by default just after.
     * The work it returns runs after {@link #onExit()} has completed, on a thread of its own that
     * may block for as long as that work takes: on Linux the thread that completed
     * {@link #onExit()} (one hop from reap to the end of a session's stop, not two), by default a
     * new virtual thread. Set after the reap, {@code action} runs on the setting thread and its
     * work on a new virtual thread.
     */
    default void whenReaped(Supplier<Runnable> action) {
        onExit().whenComplete((exit, error) -> Thread.ofVirtual().name("tether-after-exit").start(action.get()));
    }

    Optional<OutputStream> stdin();

    Optional<InputStream> stdout();

    Optional<InputStream> stderr();
}
