package dev.tether.client.api;

import java.time.Instant;
import java.util.Map;

/**
 * {@code GET /health}: {@code status} is {@code ok} when the registry is reachable and matches the
 * daemon's sessions and the guardian lives, else {@code degraded}.
 */
public record Health(String status, String instance, long pid, String version, Instant startedAt, String home,
                     String containment, String containmentSummary, RegistryHealth registry, GuardianHealth guardian,
                     Map<SessionState, Integer> sessions) {

    /** Whether the registry answered, and whether its live rows of this daemon are exactly the daemon's live sessions. */
    public record RegistryHealth(boolean reachable, boolean consistent, String file, String detail) {}

    /** The guardian that stops every session if the daemon is SIGKILLed. */
    public record GuardianHealth(boolean alive, Long pid) {}
}
