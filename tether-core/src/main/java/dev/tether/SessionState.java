package dev.tether;

/** Where a session is in its life. Only the terminal states promise that nothing of it lives. */
public enum SessionState {
    /** Recorded before spawn; a crash here leaves a row reconciliation closes. */
    STARTING,
    /** The main process runs. */
    RUNNING,
    /** A stop is in progress: members are being signalled, waited for, or killed. */
    STOPPING,
    /** The main process ended by itself and whatever it left behind was stopped; nothing lives. */
    EXITED,
    /** Stopped on request; nothing lives. */
    STOPPED,
    /** Found by reconciliation after its supervisor died; whatever was left was stopped. */
    LOST,
    /** Stopped for being idle too long; nothing lives. */
    CULLED,
    /** Could not be started, or gave up restarting; nothing lives. */
    FAILED;

    /** Whether nothing of the session lives any more. */
    public boolean isTerminal() {
        return this != STARTING && this != RUNNING && this != STOPPING;
    }
}
