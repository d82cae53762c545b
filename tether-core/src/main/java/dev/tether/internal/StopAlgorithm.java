package dev.tether.internal;

import dev.tether.ProcessId;
import dev.tether.Signal;
import dev.tether.spi.SessionScope;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one way Tether stops a session, used by {@code Session.stop}, supervisor close, the
 * shutdown path and reconciliation alike:
 * <ol>
 *   <li>freeze the scope if it can be frozen, send the stop signal (and SIGCONT, so a stopped
 *       member can act on it) to every member, thaw;</li>
 *   <li>wait up to the grace period for the scope to empty;</li>
 *   <li>kill whatever remains, and repeat until a look finds nothing (a fork storm keeps
 *       making new members), for at most {@link #FORCE_LIMIT}.</li>
 * </ol>
 * The grace deadline can be brought forward while a stop runs ({@link Deadline#expireWithin}),
 * which is how {@code kill()} escalates a graceful stop already in progress.
 */
public final class StopAlgorithm {
    /** How long forced killing keeps trying before it reports survivors. */
    public static final Duration FORCE_LIMIT = Duration.ofSeconds(10);
    private static final Duration KILL_SETTLE = Duration.ofMillis(250);

    private StopAlgorithm() {}

    /** What a run found and did. */
    public record Outcome(int signalled, int killed, int survivors, Duration elapsed) {}

    /** A grace deadline that can only move earlier. */
    public static final class Deadline {
        private final long startedNanos = System.nanoTime();
        private final AtomicLong nanos;

        public Deadline(Duration grace) {
            this.nanos = new AtomicLong(startedNanos + Math.max(0, grace.toNanos()));
        }

        /** Brings the deadline forward to at most {@code grace} from now. */
        public void expireWithin(Duration grace) {
            long candidate = System.nanoTime() + Math.max(0, grace.toNanos());
            nanos.accumulateAndGet(candidate, Math::min);
        }

        long nanos() {
            return nanos.get();
        }

        boolean passed() {
            return System.nanoTime() - nanos.get() >= 0;
        }
    }

    public static Outcome run(SessionScope scope, Signal signal, Deadline deadline) {
        long t0 = deadline.startedNanos; // the grace runs from when the stop was asked for
        List<ProcessId> first = scope.members();
        if (first.isEmpty()) {
            // Nothing lives, so nothing can fork a new member: done after a single look.
            return new Outcome(0, 0, 0, Duration.ofNanos(System.nanoTime() - t0));
        }
        int signalled = 0;
        boolean empty = false;
        if (!deadline.passed()) {
            signalled = signalAll(scope, signal, first);
            empty = Poll.until(scope::isEmpty, deadline::nanos);
        }
        Set<ProcessId> killed = new HashSet<>();
        int survivors = 0;
        long forceDeadline = System.nanoTime() + FORCE_LIMIT.toNanos();
        while (!empty) {
            List<ProcessId> left = scope.members();
            if (left.isEmpty()) {
                break;
            }
            if (System.nanoTime() - forceDeadline >= 0) {
                survivors = left.size();
                break;
            }
            killed.addAll(left);
            scope.killAll(left);
            empty = Poll.until(scope::isEmpty, KILL_SETTLE);
        }
        return new Outcome(signalled, killed.size(), survivors, Duration.ofNanos(System.nanoTime() - t0));
    }

    /** Freezes (where it can) so no member forks while signalled, then the stop signal and SIGCONT to each. */
    private static int signalAll(SessionScope scope, Signal signal, List<ProcessId> listed) {
        boolean frozen = scope.freeze();
        try {
            List<ProcessId> members = frozen ? scope.members() : listed;
            int delivered = scope.signal(members, signal);
            scope.signal(members, Signal.CONT);
            return delivered;
        } finally {
            if (frozen) {
                scope.thaw();
            }
        }
    }
}
