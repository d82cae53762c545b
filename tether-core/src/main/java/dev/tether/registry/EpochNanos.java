package dev.tether.registry;

import java.time.Duration;
import java.time.Instant;

/**
 * How times are stored: integer nanoseconds (since the epoch for instants), exact for
 * 1677–2262, sortable, and readable in SQL as {@code datetime(col / 1e9, 'unixepoch')}.
 */
final class EpochNanos {
    private EpochNanos() {}

    static long of(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
    }

    static Instant toInstant(long nanos) {
        return Instant.ofEpochSecond(0, nanos);
    }

    static long of(Duration d) {
        return d.toNanos();
    }

    static Duration toDuration(long nanos) {
        return Duration.ofNanos(nanos);
    }
}
