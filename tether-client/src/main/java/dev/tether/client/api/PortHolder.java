package dev.tether.client.api;

import java.time.Instant;

/** A process listening on a port; {@code session} is set when it is a Tether session's. */
public record PortHolder(long pid, String user, String command, Instant startedAt, String address, String session) {}
