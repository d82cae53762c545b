package dev.tether.registry;

import java.util.Objects;
import java.util.Optional;

/**
 * Which supervisor instances {@link Registry#instances(InstanceFilter)} returns.
 *
 * @param notEndedOnly only instances that have not recorded their end (still running, or died)
 * @param host        only instances on this host
 */
public record InstanceFilter(boolean notEndedOnly, Optional<String> host) {
    public InstanceFilter {
        Objects.requireNonNull(host, "host");
    }

    public static InstanceFilter all() {
        return new InstanceFilter(false, Optional.empty());
    }

    /** Instances that have not recorded an end: still running, or died without saying so. */
    public static InstanceFilter notEnded() {
        return new InstanceFilter(true, Optional.empty());
    }

    public InstanceFilter onHost(String h) {
        return new InstanceFilter(notEndedOnly, Optional.of(h));
    }
}
