package dev.tether.client.api;

import java.util.List;

/**
 * {@code POST /emergency-recovery}: every session of the daemon stopped, and every other
 * Tether-marked process of its user.
 */
public record EmergencyRecovery(int stoppedSessions, int killedCount, List<KilledProcess> killed) {}
