package dev.tether.client.api;

import java.util.List;

/** {@code GET /ports/{port}}: whether it can be bound, and who listens on it. */
public record PortView(int port, boolean free, List<PortHolder> holders) {}
