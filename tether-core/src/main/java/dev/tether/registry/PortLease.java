package dev.tether.registry;

import java.time.Instant;
import java.util.Objects;

/**
 * A TCP port reserved for a live session. At most one lease per port exists; it ends when the
 * session ends, when its intent is deleted, or when it is released.
 */
public record PortLease(int port, String sessionId, String instanceId, Instant leasedAt) {
    public PortLease {
        PortNumbers.check(port);
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(instanceId, "instanceId");
        Objects.requireNonNull(leasedAt, "leasedAt");
    }
}
