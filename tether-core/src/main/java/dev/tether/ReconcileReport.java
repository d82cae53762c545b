package dev.tether;

import java.time.Duration;

/**
 * What a reconciliation found and did.
 *
 * @param instancesClosed     dead supervisor instances whose rows were closed
 * @param sessionsLost        sessions of dead instances stopped and closed as {@link SessionState#LOST}
 * @param processesStopped    processes that had to be signalled or killed
 * @param rowsCorrected       rows that claimed a live process that was dead, corrected
 * @param directoriesRemoved  session directories removed (of lost sessions, or stale)
 * @param portsReleased       port leases released
 * @param cgroupsRemoved      cgroups of dead instances removed
 * @param rowsPruned          rows of sessions (and of instances) ended longer ago or further back
 *                            than the settings keep ({@code keep_ended_for}, {@code keep_ended}), deleted
 * @param elapsed             how long it took
 */
public record ReconcileReport(int instancesClosed, int sessionsLost, int processesStopped, int rowsCorrected,
                              int directoriesRemoved, int portsReleased, int cgroupsRemoved, int rowsPruned,
                              Duration elapsed) {
    /** A reconciliation that found nothing (there was no registry to look at). */
    public static final ReconcileReport NOTHING = new ReconcileReport(0, 0, 0, 0, 0, 0, 0, 0, Duration.ZERO);

    /** Whether it found nothing to do. */
    public boolean nothingFound() {
        return instancesClosed + sessionsLost + processesStopped + rowsCorrected + directoriesRemoved
                + portsReleased + cgroupsRemoved + rowsPruned == 0;
    }

    @Override
    public String toString() {
        return "instances closed " + instancesClosed + ", sessions lost " + sessionsLost + ", processes stopped "
                + processesStopped + ", rows corrected " + rowsCorrected + ", directories removed " + directoriesRemoved
                + ", ports released " + portsReleased + ", cgroups removed " + cgroupsRemoved + ", rows pruned "
                + rowsPruned + " in " + Durations.format(elapsed);
    }
}
