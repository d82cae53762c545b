package dev.tether.internal;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Waits for a condition the kernel does not announce (a cgroup emptying, a marker scan coming
 * back empty) with a short exponential backoff: the first checks come within a millisecond, later
 * ones at most every {@link #MAX_PAUSE}. Used only while a stop is in progress.
 */
public final class Poll {
    private static final long FIRST_PAUSE_NANOS = 200_000;
    static final Duration MAX_PAUSE = Duration.ofMillis(20);

    private Poll() {}

    /** Waits until {@code done} holds or {@code deadlineNanos} (a {@link System#nanoTime()} value) passes. */
    public static boolean until(BooleanSupplier done, LongSupplier deadlineNanos) {
        long pause = FIRST_PAUSE_NANOS;
        while (true) {
            if (done.getAsBoolean()) {
                return true;
            }
            long left = deadlineNanos.getAsLong() - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            LockSupport.parkNanos(Math.min(pause, left));
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                return done.getAsBoolean();
            }
            pause = Math.min(pause * 2, MAX_PAUSE.toNanos());
        }
    }

    public static boolean until(BooleanSupplier done, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        return until(done, () -> deadline);
    }
}
