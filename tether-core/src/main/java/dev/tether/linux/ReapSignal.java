package dev.tether.linux;

import java.util.concurrent.atomic.AtomicReference;

/**
 * One action to run once a child has been reaped, on the exit watcher's thread itself, ahead of
 * the hop that completes its exit future: how a session's stop starts without waiting for that
 * hop. The action must not block. Set after the reap, it runs at once on the setting thread.
 */
final class ReapSignal {
    private static final Runnable FIRED = () -> { };
    private final AtomicReference<Runnable> state = new AtomicReference<>();

    /** The child was reaped: runs the action, if one is set. */
    void fire() {
        Runnable action = state.getAndSet(FIRED);
        if (action != null && action != FIRED) {
            action.run();
        }
    }

    /** Sets the action (once); runs it now if the child was already reaped. */
    void then(Runnable action) {
        if (!state.compareAndSet(null, action)) {
            if (state.get() == FIRED) {
                action.run();
            } else {
                throw new IllegalStateException("a reap action is already set");
            }
        }
    }
}
