package dev.tether.client.api;

import java.time.Instant;

/** A session's restart policy and how far it got; {@code nextAt} is set while a restart is due. */
public record RestartView(String policy, int maxRestarts, int restarts, long backoffMs, Instant nextAt) {}
