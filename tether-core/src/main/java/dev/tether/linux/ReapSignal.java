package dev.tether.linux;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * What to do once a child has been reaped (see {@link dev.tether.spi.SpawnedProcess#whenReaped}):
 * the exit watcher's callback thread {@linkplain #fire() fires} it just before completing the
 * child's exit future and runs the work it returns just after, so a session's stop needs no
 * thread of its own. Set after the reap, the action runs at once on the setting thread and its
 * work on a new virtual thread (the setter may be a caller of {@code start} that must not block).
 */
final class ReapSignal {
    private static final Runnable NOTHING = () -> { };
    private static final Supplier<Runnable> FIRED = () -> NOTHING;
    private final AtomicReference<Supplier<Runnable>> state = new AtomicReference<>();

    /** The child was reaped: runs the action, if one is set, and returns its work (or nothing to do). */
    Runnable fire() {
        Supplier<Runnable> action = state.getAndSet(FIRED);
        return action == null || action == FIRED ? NOTHING : action.get();
    }

    /** Sets the action (once); if the child was already reaped, runs it now and its work on a new virtual thread. */
    void then(Supplier<Runnable> action) {
        if (!state.compareAndSet(null, action)) {
            if (state.get() == FIRED) {
                Thread.ofVirtual().name("tether-after-exit").start(action.get());
            } else {
                throw new IllegalStateException("a reap action is already set");
            }
        }
    }
}
