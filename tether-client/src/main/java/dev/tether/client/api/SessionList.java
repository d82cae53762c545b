package dev.tether.client.api;

import java.util.List;

/** {@code GET /sessions}: newest first. */
public record SessionList(List<SessionView> sessions, int count) {}
