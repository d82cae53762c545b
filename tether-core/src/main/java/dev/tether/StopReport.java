package dev.tether;

import java.time.Duration;
import java.util.Objects;

/**
 * What stopping a session did.
 *
 * @param exit      how the main process ended
 * @param signalled processes that received the stop signal
 * @param killed    processes still alive after the grace period, which got SIGKILL
 * @param survivors processes that could not be stopped at all (0 unless the system refused)
 * @param elapsed   from the start of the stop until nothing of the session lived
 * @param reason    why the session was stopped
 */
public record StopReport(Exit exit, int signalled, int killed, int survivors, Duration elapsed, StopReason reason) {
    public StopReport {
        Objects.requireNonNull(exit, "exit");
        Objects.requireNonNull(elapsed, "elapsed");
        Objects.requireNonNull(reason, "reason");
    }

    /** Whether the grace period sufficed: nothing needed SIGKILL and nothing survived. */
    public boolean graceful() {
        return killed == 0 && survivors == 0;
    }

    /** Whether nothing of the session lives. */
    public boolean clean() {
        return survivors == 0;
    }
}
