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

    Optional<OutputStream> stdin();

    Optional<InputStream> stdout();

    Optional<InputStream> stderr();
}
