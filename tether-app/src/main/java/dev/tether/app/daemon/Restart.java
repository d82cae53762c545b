package dev.tether.app.daemon;

import dev.tether.Exit;
import java.time.Duration;

/**
 * A session's restart policy, resolved: whether a main process's own exit brings a new run, how
 * long to wait before it (doubling from {@code backoff} up to {@code maxBackoff}) and how many runs
 * may follow the first before the session is {@code FAILED}.
 */
record Restart(boolean onFailure, int maxRestarts, Duration backoff, Duration maxBackoff) {
    static final int DEFAULT_MAX_RESTARTS = 3;
    static final Duration DEFAULT_BACKOFF = Duration.ofSeconds(1);
    static final Duration DEFAULT_MAX_BACKOFF = Duration.ofMinutes(1);
    static final Restart NEVER = new Restart(false, 0, DEFAULT_BACKOFF, DEFAULT_MAX_BACKOFF);

    String policy() {
        return onFailure ? "on-failure" : "never";
    }

    /** Whether a run that ended with {@code exit} counts as a failure: a non-zero status, a signal, anything unknown. */
    static boolean isFailure(Exit exit) {
        return !(exit instanceof Exit.Exited e && e.code() == 0);
    }

    /** The wait before restart number {@code n} (1-based). */
    Duration delayBefore(int n) {
        Duration d = backoff;
        for (int i = 1; i < n && d.compareTo(maxBackoff) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(maxBackoff) > 0 ? maxBackoff : d;
    }
}
