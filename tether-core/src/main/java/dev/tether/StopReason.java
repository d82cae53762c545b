package dev.tether;

/** Why a session was stopped. */
public enum StopReason {
    /** {@link Session#stop()} or {@link Session#kill()} was called. */
    REQUESTED,
    /** The main process ended; what it left behind was stopped. */
    MAIN_EXITED,
    /** The supervisor was closed (or the JVM is shutting down). */
    SUPERVISOR_CLOSED,
    /** The supervisor died; its guardian or a reconciliation stopped what was left. */
    SUPERVISOR_DIED,
    /** Idle for longer than its idle timeout. */
    IDLE,
    /** A readiness probe failed. */
    NOT_READY
}
