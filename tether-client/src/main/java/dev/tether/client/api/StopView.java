package dev.tether.client.api;

/**
 * What a stop of a session's tree found and did.
 *
 * @param signalled processes sent the stop signal
 * @param killed    processes that needed SIGKILL
 * @param survivors processes still alive after it (0 unless something is badly wrong)
 * @param elapsedMs from the stop request to nothing left
 * @param reason    why it stopped: {@code REQUESTED}, {@code MAIN_EXITED}, {@code IDLE}, {@code NOT_READY}, ...
 * @param graceful  whether the stop signal sufficed
 */
public record StopView(int signalled, int killed, int survivors, long elapsedMs, String reason, boolean graceful) {}
