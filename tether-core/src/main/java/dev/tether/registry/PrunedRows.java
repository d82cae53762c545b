package dev.tether.registry;

/**
 * What {@link Registry#pruneEnded} deleted.
 *
 * @param sessions  ended session rows (with their port leases, had any been left)
 * @param instances supervisor instances that ended before the cutoff and that no row named any more
 */
public record PrunedRows(int sessions, int instances) {
    /** Whether nothing was deleted. */
    public boolean none() {
        return sessions == 0 && instances == 0;
    }
}
